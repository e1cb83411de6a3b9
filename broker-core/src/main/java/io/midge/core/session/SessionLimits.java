package io.midge.core.session;

/**
 * Per-session delivery limits, from mosquitto's options of the same names.
 *
 * @param maxInflightMessages QoS 1/2 messages sent but not yet acknowledged; 0 means no limit
 *                            (capped by the 65,535 packet identifiers)
 * @param maxQueuedMessages   messages held beyond the in-flight window; 0 means no limit
 * @param maxQueuedBytes      payload bytes held beyond the in-flight window; 0 means no limit
 * @param queueQos0Messages   whether an offline persistent session keeps QoS 0 messages
 * @param upgradeOutgoingQos  deliver at the subscription's QoS rather than min(publish, granted)
 * @param maxInflightBytes    QoS 1/2 payload bytes in flight beyond which no more is sent; 0 means no limit
 */
public record SessionLimits(int maxInflightMessages, int maxQueuedMessages, long maxQueuedBytes,
                            boolean queueQos0Messages, boolean upgradeOutgoingQos, long maxInflightBytes) {

    public SessionLimits(int maxInflightMessages, int maxQueuedMessages, long maxQueuedBytes,
                         boolean queueQos0Messages, boolean upgradeOutgoingQos) {
        this(maxInflightMessages, maxQueuedMessages, maxQueuedBytes, queueQos0Messages, upgradeOutgoingQos, 0);
    }

    public static final SessionLimits DEFAULTS = new SessionLimits(20, 1000, 0, false, false);

    /** How long a session that does not drain its queue may hold publishers back. */
    static final long MAX_BACKPRESSURE_NANOS = 1_000_000_000L;
    /** Queue length at which a session with no queue limit starts holding publishers back. */
    private static final int UNLIMITED_QUEUE_HIGH_WATER = 10_000;

    /** Queue length at which publishers to this session are held back: half the limit, leaving room for what is already in flight. */
    int congestionHighWater() {
        return maxQueuedMessages > 0 ? Math.max(1, maxQueuedMessages / 2) : UNLIMITED_QUEUE_HIGH_WATER;
    }

    /** Queue length at which held-back publishers may go on. */
    int congestionLowWater() {
        return congestionHighWater() / 2;
    }

    /**
     * Inbound QoS 2 messages a client may have awaiting PUBREL: mosquitto lets a client fill its
     * in-flight window and then its queue's worth; beyond that it drops them.
     */
    int inboundQos2Capacity() {
        if (maxQueuedMessages <= 0) {
            return InflightWindow.MAX_PACKET_ID;
        }
        return Math.min(InflightWindow.MAX_PACKET_ID, inflightCapacity() + maxQueuedMessages);
    }

    int inflightCapacity() {
        return maxInflightMessages <= 0 ? InflightWindow.MAX_PACKET_ID : Math.min(maxInflightMessages, InflightWindow.MAX_PACKET_ID);
    }
}
