package io.midge.core.auth;

/** Decides whether a connecting client may log in. Implementations must be thread-safe. */
public interface Authenticator {

    enum Result {
        ACCEPTED,
        /** CONNACK return code 4. */
        BAD_USERNAME_OR_PASSWORD,
        /** CONNACK return code 5. */
        NOT_AUTHORIZED
    }

    /** @param username null when the client sent none; password likewise */
    Result authenticate(String clientId, String username, byte[] password);

    /**
     * The MQTT 5 enhanced authentication methods offered besides user name and password; none
     * unless an implementation brings its own. A client that names another method is refused.
     */
    default EnhancedAuthentication enhanced() {
        return EnhancedAuthentication.NONE;
    }
}
