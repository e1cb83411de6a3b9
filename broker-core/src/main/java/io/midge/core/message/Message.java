package io.midge.core.message;

import java.nio.charset.StandardCharsets;

/**
 * An application message as the broker routes it. Immutable by contract: the payload array is
 * shared by every subscriber queue and the retained store, so nobody may write to it.
 *
 * @param topic   the topic name (no wildcards)
 * @param payload the payload bytes, never null (empty for a zero-length payload)
 * @param qos     the QoS it was published with, 0..2
 * @param retain  whether it was published with the retain flag
 * @param origin  the client that published it, or null for the broker's own ($SYS) messages
 */
public record Message(String topic, byte[] payload, int qos, boolean retain, Origin origin) {

    public Message {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos " + qos);
        }
    }

    /** A message of the broker's own. */
    public Message(String topic, byte[] payload, int qos, boolean retain) {
        this(topic, payload, qos, retain, null);
    }

    public Message withRetain(boolean retainFlag) {
        return retainFlag == retain ? this : new Message(topic, payload, qos, retainFlag, origin);
    }

    @Override
    public String toString() {
        return "Message[" + topic + ", q" + qos + (retain ? ", r" : "") + ", " + payload.length + " bytes]";
    }

    public static Message of(String topic, String payload, int qos, boolean retain) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }
}
