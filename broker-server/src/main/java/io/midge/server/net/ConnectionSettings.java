package io.midge.server.net;

/**
 * What a connection needs to know of the broker's configuration, resolved once at start-up.
 *
 * @param maxPayloadBytes         message_size_limit: the largest PUBLISH or will payload accepted
 * @param connectTimeoutMillis    how long a new socket may take to send CONNECT
 * @param receiveMaximum          QoS 1 and 2 PUBLISHes an MQTT 5 client may have unacknowledged
 *                                (max_inflight_messages, as mosquitto announces it; 65535 for no limit)
 */
public record ConnectionSettings(int maxKeepaliveSeconds, boolean allowZeroLengthClientId, String autoIdPrefix,
                                 int maxPayloadBytes, boolean connectionMessages, boolean retainAvailable,
                                 long connectTimeoutMillis, int receiveMaximum) {

    /** The protocol's largest remaining length, and our default limit like mosquitto's. */
    public static final int PROTOCOL_MAX_PACKET = 268_435_455;

    /** A PUBLISH carries at most a 2-byte topic length, 65,535 topic bytes and a packet id besides its payload. */
    private static final int MAX_PUBLISH_OVERHEAD = 2 + 65_535 + 2;

    /** The decoder's limit on the remaining length: enough for the largest allowed payload and its headers. */
    public int maxPacketBytes() {
        long limit = (long) maxPayloadBytes + MAX_PUBLISH_OVERHEAD;
        return (int) Math.min(limit, PROTOCOL_MAX_PACKET);
    }
}
