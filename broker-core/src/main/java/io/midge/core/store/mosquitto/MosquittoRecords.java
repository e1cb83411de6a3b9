package io.midge.core.store.mosquitto;

import io.midge.core.message.MessageProperties;

import java.util.List;

/** The chunks of a mosquitto persistence file, as written (before they are mapped to Midge's store). */
final class MosquittoRecords {

    private MosquittoRecords() {}

    /**
     * A message in mosquitto's message store, referenced by retained and client message chunks.
     *
     * @param expiryTime when it expires, in seconds since the epoch, or 0 for never
     * @param sourceId   the publishing client, or null for the broker's own messages
     */
    record StoredMessage(long storeId, long expiryTime, String sourceId, String sourceUsername, String topic,
                         byte[] payload, int qos, boolean retain, MessageProperties properties) {}

    /**
     * A persistent session.
     *
     * @param sessionExpiryTime     when it expires, in seconds since the epoch, or 0 if it was not set
     * @param sessionExpiryInterval seconds, {@link #NEVER_EXPIRES} for MQTT 3.1.1 sessions
     */
    record Client(String clientId, long sessionExpiryTime, long sessionExpiryInterval, String username) {
        static final long NEVER_EXPIRES = 0xFFFFFFFFL;
    }

    /** A message queued or in flight to (direction out) or from (direction in) a client. */
    record ClientMessage(String clientId, long storeId, int mid, int qos, int state, boolean retain,
                         boolean outgoing) {}

    record Subscription(String clientId, String filter, int qos) {}

    record Retained(long storeId) {}

    /**
     * Everything a file holds, in file order.
     *
     * @param skipped what was left out while reading (chunks of unknown kind), one line each
     */
    record Contents(int version, List<StoredMessage> messages, List<Client> clients, List<ClientMessage> clientMessages,
                    List<Subscription> subscriptions, List<Retained> retained, List<String> skipped) {}
}
