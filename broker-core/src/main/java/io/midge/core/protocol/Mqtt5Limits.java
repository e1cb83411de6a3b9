package io.midge.core.protocol;

/**
 * What a listener announces to MQTT 5 clients in CONNACK and enforces on them.
 *
 * @param maxTopicAlias   max_topic_alias: topic aliases a client may set (0: none)
 * @param receiveMaximum  QoS 1 and 2 PUBLISHes a client may have unacknowledged (max_inflight_messages; 65535 for no limit)
 * @param maxPacketSize   max_packet_size: the largest packet accepted, announced when set (0: not set)
 * @param maxKeepalive    max_keepalive: a longer keep alive is answered with this one as server keep alive
 */
public record Mqtt5Limits(int maxTopicAlias, int receiveMaximum, int maxPacketSize, int maxKeepalive) {

    /** mosquitto 2.0's defaults. */
    public static final Mqtt5Limits DEFAULTS = new Mqtt5Limits(10, 20, 0, 65535);

    public Mqtt5Limits {
        if (receiveMaximum < 1 || receiveMaximum > 65535) {
            throw new IllegalArgumentException("receive maximum " + receiveMaximum);
        }
    }
}
