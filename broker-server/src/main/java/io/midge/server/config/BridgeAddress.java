package io.midge.server.config;

import java.util.Objects;

/**
 * A remote broker a bridge connects to ({@code address host[:port]}).
 *
 * @param host host name or address
 * @param port TCP port, 1883 unless given
 */
public record BridgeAddress(String host, int port) {

    /** Validates host and port. */
    public BridgeAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
