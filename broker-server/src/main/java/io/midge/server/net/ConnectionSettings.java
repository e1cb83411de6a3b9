package io.midge.server.net;

/**
 * What a connection needs to know of the broker's configuration, resolved once at start-up.
 *
 * @param maxPayloadBytes         message_size_limit: the largest PUBLISH or will payload accepted
 * @param connectTimeoutMillis    how long a new socket may take to send CONNECT
 * @param receiveMaximum          QoS 1 and 2 PUBLISHes an MQTT 5 client may have unacknowledged
 *                                (max_inflight_messages, as mosquitto announces it; 65535 for no limit)
 * @param maxPacketSize           max_packet_size: the largest packet accepted, counted as mosquitto counts
 *                                it (see {@link #maxRemainingLength()}), and told to MQTT 5 clients; 0 for no limit
 */
public record ConnectionSettings(int maxKeepaliveSeconds, boolean allowZeroLengthClientId, String autoIdPrefix,
                                 int maxPayloadBytes, boolean connectionMessages, boolean retainAvailable,
                                 long connectTimeoutMillis, int receiveMaximum, int maxPacketSize) {

    /** The protocol's largest remaining length, and our default limit like mosquitto's. */
    public static final int PROTOCOL_MAX_PACKET = 268_435_455;

    /** A PUBLISH carries at most a 2-byte topic length, 65,535 topic bytes and a packet id besides its payload. */
    private static final int MAX_PUBLISH_OVERHEAD = 2 + 65_535 + 2;

    public ConnectionSettings {
        if (maxPacketSize < 0) {
            throw new IllegalArgumentException("max_packet_size must not be negative, was " + maxPacketSize);
        }
    }

    /**
     * The decoder's limit on the remaining length. mosquitto counts a packet as its first byte plus
     * its remaining length, leaving out the bytes that encode that length, so max_packet_size N
     * lets a remaining length of N - 1 through, and no more.
     */
    public int maxRemainingLength() {
        return maxPacketSize == 0 ? PROTOCOL_MAX_PACKET : (int) Math.min(maxPacketSize - 1L, PROTOCOL_MAX_PACKET);
    }

    /**
     * The largest remaining length a connection may have to hold whole: enough for the largest
     * allowed payload and its headers, and never more than {@link #maxRemainingLength()}.
     */
    public int maxPacketBytes() {
        long limit = (long) maxPayloadBytes + MAX_PUBLISH_OVERHEAD;
        return (int) Math.min(limit, maxRemainingLength());
    }
}
