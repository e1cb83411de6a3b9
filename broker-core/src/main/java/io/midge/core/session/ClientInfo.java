package io.midge.core.session;

/**
 * What monitoring shows of a connected client.
 *
 * @param address          the client's address and port, as the log names it
 * @param protocol         e.g. {@code MQTT 3.1.1}
 * @param username         null for an anonymous client
 * @param keepAliveSeconds the keep alive in force
 * @param bridge           whether the client connected as a bridge
 */
public record ClientInfo(String address, String protocol, String username, int keepAliveSeconds, boolean bridge) {

    /** For a connection that tells nothing about itself. */
    public static final ClientInfo UNKNOWN = new ClientInfo(null, null, null, 0, false);
}
