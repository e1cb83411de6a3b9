package io.midge.core.auth;

/**
 * One {@code topic} or {@code pattern} line of an ACL file.
 *
 * @param filter a valid topic filter; for a pattern it may hold {@code %c} and {@code %u}
 */
record AclRule(AclAccess access, String filter) {

    private static final String CLIENT_ID = "%c";
    private static final String USERNAME = "%u";

    boolean isDeny() {
        return access == AclAccess.DENY;
    }

    /** A pattern naming the user name cannot apply to a client that has none. */
    boolean needsUsername() {
        return filter.contains(USERNAME);
    }

    /**
     * The pattern's filter with {@code %c} and {@code %u} replaced, scanning left to right as
     * mosquitto does. Replacement is textual, not per level: {@code "pre%c"} becomes
     * {@code "preX"} for client X, and a client id containing '/' spans several levels.
     */
    String expandFor(String clientId, String username) {
        StringBuilder expanded = new StringBuilder(filter.length() + clientId.length());
        for (int i = 0; i < filter.length(); i++) {
            if (filter.startsWith(CLIENT_ID, i)) {
                expanded.append(clientId);
                i++;
            } else if (username != null && filter.startsWith(USERNAME, i)) {
                expanded.append(username);
                i++;
            } else {
                expanded.append(filter.charAt(i));
            }
        }
        return expanded.toString();
    }
}
