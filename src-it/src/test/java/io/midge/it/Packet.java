package io.midge.it;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One packet as read from the wire: the fixed-header byte and the body (the remaining-length bytes). */
public final class Packet {

    /** Marks the end of the stream: the broker closed (or reset) the connection. */
    public static final Packet CLOSED = new Packet(-1, new byte[0]);

    private final int header;
    private final byte[] body;

    public Packet(int header, byte[] body) {
        this.header = header;
        this.body = body;
    }

    public boolean isClosed() {
        return this == CLOSED;
    }

    public int header() {
        return header;
    }

    public int type() {
        return header >> 4;
    }

    public int flags() {
        return header & 0x0F;
    }

    public byte[] body() {
        return body;
    }

    /** The whole packet as it was on the wire. */
    public byte[] bytes() {
        return Mqtt.packet(header, body);
    }

    /** Packet identifier of an ack (PUBACK..PUBCOMP, SUBACK, UNSUBACK). */
    public int ackId() {
        return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    }

    // ---- PUBLISH accessors ----

    public int qos() {
        return (header >> 1) & 0x03;
    }

    public boolean dup() {
        return (header & 0x08) != 0;
    }

    public boolean retain() {
        return (header & 0x01) != 0;
    }

    private int topicLength() {
        return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    }

    public String topic() {
        return new String(body, 2, topicLength(), StandardCharsets.UTF_8);
    }

    /** The publish packet identifier, or 0 for QoS 0. */
    public int packetId() {
        if (qos() == 0) {
            return 0;
        }
        int at = 2 + topicLength();
        return ((body[at] & 0xFF) << 8) | (body[at + 1] & 0xFF);
    }

    public byte[] payload() {
        int at = 2 + topicLength() + (qos() > 0 ? 2 : 0);
        return Arrays.copyOfRange(body, at, body.length);
    }

    public String payloadString() {
        return new String(payload(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        if (isClosed()) {
            return "<connection closed>";
        }
        if (type() == Mqtt.PUBLISH) {
            return "PUBLISH(topic=" + topic() + ", qos=" + qos() + ", dup=" + dup() + ", retain=" + retain()
                    + ", id=" + packetId() + ", payload=" + abbreviate(payloadString()) + ")";
        }
        return Mqtt.typeName(type()) + "[" + Mqtt.hex(bytes()) + "]";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...(" + s.length() + " chars)";
    }
}
