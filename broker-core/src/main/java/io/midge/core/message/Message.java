package io.midge.core.message;

import java.nio.charset.StandardCharsets;

/**
 * An application message as the broker routes it. Immutable by contract: the payload array is
 * shared by every subscriber queue and the retained store, so nobody may write to it.
 *
 * @param id              its identity: one stored copy is referenced by every queue holding it
 * @param topic           the topic name (no wildcards)
 * @param payload         the payload bytes, never null (empty for a zero-length payload)
 * @param qos             the QoS it was published with, 0..2
 * @param retain          whether it was published with the retain flag
 * @param origin          the client that published it, or null for the broker's own ($SYS) messages
 * @param expiresAtMillis wall-clock time after which it is no longer delivered, or 0 for never (MQTT 5)
 * @param properties      MQTT 5 properties forwarded with it
 */
public record Message(long id, String topic, byte[] payload, int qos, boolean retain, Origin origin,
                      long expiresAtMillis, MessageProperties properties) {

    public Message {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos " + qos);
        }
    }

    /** A new message from a client (or its will). */
    public Message(String topic, byte[] payload, int qos, boolean retain, Origin origin) {
        this(MessageIds.next(), topic, payload, qos, retain, origin, 0, MessageProperties.NONE);
    }

    /** A message of the broker's own. */
    public Message(String topic, byte[] payload, int qos, boolean retain) {
        this(topic, payload, qos, retain, null);
    }

    /**
     * This message with another retain flag: a copy of its own identity, so that a session may
     * hold both (a live delivery, and the retained copy sent when it subscribes) in a store.
     */
    public Message withRetain(boolean retainFlag) {
        return retainFlag == retain ? this
                : new Message(MessageIds.next(), topic, payload, qos, retainFlag, origin, expiresAtMillis, properties);
    }

    /** Whether its message expiry interval (MQTT 5) has passed: it is then no longer sent to anyone. */
    public boolean expired(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }

    /** Whether it carries a message expiry interval at all. */
    public boolean expires() {
        return expiresAtMillis != 0;
    }

    @Override
    public String toString() {
        return "Message[" + id + ", " + topic + ", q" + qos + (retain ? ", r" : "") + ", " + payload.length + " bytes]";
    }

    public static Message of(String topic, String payload, int qos, boolean retain) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }
}
