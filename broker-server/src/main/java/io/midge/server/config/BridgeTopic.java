package io.midge.server.config;

import java.util.Objects;

/**
 * One {@code topic pattern [[[out | in | both] qos] local-prefix remote-prefix]} line of a bridge.
 *
 * @param pattern subscription pattern; empty when the prefixes alone name the topic ({@code ""})
 * @param direction which way messages flow, {@link Direction#OUT} by default
 * @param qos QoS used on the bridge, 0..2
 * @param localPrefix prefix added/removed on the local side, empty when none
 * @param remotePrefix prefix added/removed on the remote side, empty when none
 */
public record BridgeTopic(String pattern, Direction direction, int qos, String localPrefix, String remotePrefix) {

    /** Direction of a bridged topic, seen from the local broker. */
    public enum Direction {
        /** Remote to local. */
        IN,
        /** Local to remote. */
        OUT,
        /** Both ways. */
        BOTH
    }

    /** Validates the components. */
    public BridgeTopic {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(localPrefix, "localPrefix");
        Objects.requireNonNull(remotePrefix, "remotePrefix");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos out of range: " + qos);
        }
    }
}
