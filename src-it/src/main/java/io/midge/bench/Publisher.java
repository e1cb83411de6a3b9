package io.midge.bench;

import io.midge.server.codec.MqttEncoder;
import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.Properties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * The sending side of one publishing connection: message layout, sequence numbers, packet
 * identifiers and the in-flight window. Touched only by the connection's event loop.
 *
 * <p>Payload layout (big-endian): publisher index (int), sequence number (int, from 0), send time
 * ({@link System#nanoTime()}, long), then zero padding up to the payload size.
 */
final class Publisher {

    static final int HEADER_BYTES = 16;

    /** Packet id states: free, awaiting PUBACK or PUBREC, awaiting PUBCOMP. */
    private static final byte FREE = 0, SENT = 1, RELEASED = 2;

    final int index;
    final String topic;
    private final int qos;
    private final int payloadSize;
    /** Fixed header, remaining length and topic of every message, as the broker's codec encodes them. */
    private final byte[] prefix;
    /** What comes between the packet id and the payload: MQTT 5's (empty) property section, or nothing. */
    private final byte[] properties;
    /** Bytes of one message on the wire. */
    final int wireSize;

    /** Packet ids are 1..slots.length; slot id-1 holds the id's state. */
    private final byte[] slots;
    /**
     * How many QoS 1/2 publishes may be unacknowledged: the requested window, lowered on an MQTT 5
     * connection to the broker's CONNACK receive maximum, which a client must not exceed [MQTT-3.3.4-7].
     */
    int window;
    /** The receive maximum of the broker's MQTT 5 CONNACK (65535 when absent), or 0 for 3.1.1. */
    int brokerReceiveMaximum;
    private int cursor;
    int inflight;

    /** Sequence number of the next message, which is also how many were sent. */
    private int seq;
    long sentInWindow;
    boolean running;

    /** Nanoseconds between messages when paced, 0 when sending as fast as the window allows. */
    final long intervalNanos;
    long nextDueNanos;
    long maxLagNanos;

    Publisher(int index, String topic, int qos, int payloadSize, int window, long intervalNanos) {
        this(index, topic, qos, payloadSize, window, intervalNanos, false);
    }

    Publisher(int index, String topic, int qos, int payloadSize, int window, long intervalNanos, boolean mqtt5) {
        if (payloadSize < HEADER_BYTES) {
            throw new IllegalArgumentException("payload must be at least " + HEADER_BYTES + " bytes");
        }
        this.index = index;
        this.topic = topic;
        this.qos = qos;
        this.payloadSize = payloadSize;
        this.slots = new byte[qos == 0 ? 0 : window];
        this.window = slots.length;
        this.intervalNanos = intervalNanos;
        // MQTT 5 with no properties: a property length of 0, one byte after the packet id.
        this.properties = mqtt5 ? new byte[] {0} : new byte[0];
        this.prefix = encodePrefix(topic, qos, payloadSize, mqtt5, properties.length);
        this.wireSize = prefix.length + (qos > 0 ? 2 : 0) + properties.length + payloadSize;
    }

    /** Encodes one message with the broker's codec and keeps what precedes the packet id. */
    private static byte[] encodePrefix(String topic, int qos, int payloadSize, boolean mqtt5, int propertyBytes) {
        MqttPacket.Publish template = new MqttPacket.Publish(topic, new byte[payloadSize], qos, false, false,
                qos > 0 ? 1 : 0, mqtt5 ? Properties.EMPTY : Properties.ABSENT);
        ByteBuf encoded = MqttEncoder.encode(UnpooledByteBufAllocator.DEFAULT, template);
        try {
            byte[] prefix = new byte[encoded.readableBytes() - payloadSize - propertyBytes - (qos > 0 ? 2 : 0)];
            encoded.getBytes(0, prefix);
            return prefix;
        } finally {
            encoded.release();
        }
    }

    /** On MQTT 5's CONNACK: never more in flight than the broker said it takes. */
    void limitWindow(int receiveMaximum) {
        brokerReceiveMaximum = receiveMaximum;
        window = Math.min(slots.length, receiveMaximum);
    }

    long sent() {
        return Integer.toUnsignedLong(seq);
    }

    boolean paced() {
        return intervalNanos > 0;
    }

    /** How many messages may be written now: window room, and for a paced publisher what is due. */
    int sendable(long now, int max) {
        int n = max;
        if (qos > 0) {
            n = Math.min(n, window - inflight);
        }
        if (intervalNanos > 0) {
            long due = now < nextDueNanos ? 0 : (now - nextDueNanos) / intervalNanos + 1;
            n = (int) Math.min(n, due);
        }
        return n;
    }

    /** Appends one message, sent at {@code now}, to {@code out}. */
    void writeMessage(ByteBuf out, long now) {
        out.writeBytes(prefix);
        if (qos > 0) {
            out.writeShort(allocateId());
        }
        out.writeBytes(properties);
        out.writeInt(index);
        out.writeInt(seq);
        out.writeLong(now);
        out.writeZero(payloadSize - HEADER_BYTES);
        seq++;
        if (intervalNanos > 0) {
            maxLagNanos = Math.max(maxLagNanos, now - nextDueNanos);
            nextDueNanos += intervalNanos;
        }
    }

    private int allocateId() {
        while (slots[cursor] != FREE) {
            cursor = cursor + 1 == slots.length ? 0 : cursor + 1;
        }
        slots[cursor] = SENT;
        inflight++;
        int id = cursor + 1;
        cursor = id == slots.length ? 0 : id;
        return id;
    }

    /** @return false when the id was not awaiting a PUBACK */
    boolean onPubAck(int id) {
        if (qos != 1 || id < 1 || id > slots.length || slots[id - 1] != SENT) {
            return false;
        }
        slots[id - 1] = FREE;
        inflight--;
        return true;
    }

    /** @return false when the id was not awaiting a PUBREC */
    boolean onPubRec(int id) {
        if (qos != 2 || id < 1 || id > slots.length || slots[id - 1] != SENT) {
            return false;
        }
        slots[id - 1] = RELEASED;
        return true;
    }

    /**
     * An MQTT 5 PUBREC with a failure reason ends the exchange: no PUBREL follows (spec 4.3.3: the sender stops at a PUBREC reason of 0x80 or above),
     * the id is free again.
     *
     * @return false when the id was not awaiting a PUBREC
     */
    boolean onPubRecRefused(int id) {
        if (qos != 2 || id < 1 || id > slots.length || slots[id - 1] != SENT) {
            return false;
        }
        slots[id - 1] = FREE;
        inflight--;
        return true;
    }

    /** @return false when the id was not awaiting a PUBCOMP */
    boolean onPubComp(int id) {
        if (qos != 2 || id < 1 || id > slots.length || slots[id - 1] != RELEASED) {
            return false;
        }
        slots[id - 1] = FREE;
        inflight--;
        return true;
    }
}
