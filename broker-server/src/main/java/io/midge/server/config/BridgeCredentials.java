package io.midge.server.config;

/**
 * How one side of a bridge identifies itself; every component may be {@code null} (not set).
 *
 * @param clientId client identifier ({@code remote_clientid}/{@code local_clientid})
 * @param username user name ({@code remote_username}/{@code local_username})
 * @param password password ({@code remote_password}/{@code local_password})
 */
public record BridgeCredentials(String clientId, String username, String password) {

    @Override
    public String toString() {
        // Keeps passwords out of logs that print whole configurations.
        return "BridgeCredentials[clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? null : "***") + "]";
    }
}
