package io.midge.server.http;

/**
 * Who made an HTTP request, once its credentials passed.
 *
 * @param username the password file's user, or null for a token or anonymous caller (the ACL's
 *                 anonymous rules then apply)
 * @param admin    whether the user is named by http_admin and may change state
 */
record Caller(String username, boolean admin) {

    /** The client id password checks and the ACL see for an HTTP caller: one no MQTT client can have. */
    static final String CLIENT_ID = "<http>";

    static final Caller ANONYMOUS = new Caller(null, false);
}
