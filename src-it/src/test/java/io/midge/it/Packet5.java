package io.midge.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An MQTT 5 packet received from the broker, decoded: reason code(s), properties (in wire order,
 * duplicates kept), and for PUBLISH the topic, packet id and payload. Decoding is strict about
 * lengths: a packet the broker got wrong fails the test with its bytes instead of being guessed at.
 */
public final class Packet5 {

    /** One property as received: numbers as Long, strings as String, binary as byte[], user properties as String[2]. */
    public record Prop(int id, Object value) {
        @Override
        public String toString() {
            Object v = value instanceof byte[] b ? Mqtt.hex(b) : value instanceof String[] kv ? kv[0] + "=" + kv[1] : value;
            return String.format("0x%02X=%s", id, v);
        }
    }

    private final Packet raw;
    private final List<Prop> props = new ArrayList<>();
    private final List<Integer> reasons = new ArrayList<>();
    private int packetId;
    private boolean sessionPresent;
    private String topic;
    private byte[] payload = new byte[0];
    private int at;

    private Packet5(Packet raw) {
        this.raw = raw;
    }

    public static Packet5 of(Packet raw) {
        if (raw == null || raw.isClosed()) {
            throw new AssertionError("expected an MQTT 5 packet, got " + raw);
        }
        Packet5 p = new Packet5(raw);
        try {
            p.decode();
        } catch (RuntimeException e) {
            throw new AssertionError("cannot decode as MQTT 5: " + raw + " (" + e + ")", e);
        }
        return p;
    }

    private void decode() {
        byte[] b = raw.body();
        switch (raw.type()) {
            case Mqtt.CONNACK -> {
                sessionPresent = (b[at++] & 0x01) != 0;
                reasons.add(b[at++] & 0xFF);
                readProps();
            }
            case Mqtt.PUBLISH -> {
                topic = readString();
                if (raw.qos() > 0) {
                    packetId = u16();
                }
                readProps();
                payload = Arrays.copyOfRange(b, at, b.length);
                at = b.length;
            }
            case Mqtt.PUBACK, Mqtt.PUBREC, Mqtt.PUBREL, Mqtt.PUBCOMP -> {
                packetId = u16();
                // [MQTT-3.4.2.1] reason code and properties may be omitted when success and none
                reasons.add(at < b.length ? b[at++] & 0xFF : 0);
                if (at < b.length) {
                    readProps();
                }
            }
            case Mqtt.SUBACK, Mqtt.UNSUBACK -> {
                packetId = u16();
                readProps();
                while (at < b.length) {
                    reasons.add(b[at++] & 0xFF);
                }
            }
            case Mqtt.DISCONNECT, Mqtt5.AUTH -> {
                // [MQTT-3.14.2.1] a remaining length of 0 means reason 0x00 and no properties
                reasons.add(at < b.length ? b[at++] & 0xFF : 0);
                if (at < b.length) {
                    readProps();
                }
            }
            default -> at = b.length;
        }
        if (at != b.length) {
            throw new IllegalStateException((b.length - at) + " bytes left over");
        }
    }

    private int u8() {
        return raw.body()[at++] & 0xFF;
    }

    private int u16() {
        return (u8() << 8) | u8();
    }

    private long u32() {
        return ((long) u16() << 16) | u16();
    }

    private int varint() {
        int value = 0;
        int shift = 0;
        int digit;
        do {
            digit = u8();
            value |= (digit & 0x7F) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        return value;
    }

    private byte[] binary() {
        int n = u16();
        if (at + n > raw.body().length) {
            throw new IllegalStateException("string past the end");
        }
        byte[] v = Arrays.copyOfRange(raw.body(), at, at + n);
        at += n;
        return v;
    }

    private String readString() {
        return new String(binary(), StandardCharsets.UTF_8);
    }

    private void readProps() {
        int length = varint();
        int end = at + length;
        while (at < end) {
            int id = varint();
            Object v = switch (id) {
                case Mqtt5.PAYLOAD_FORMAT, Mqtt5.REQUEST_PROBLEM_INFO, Mqtt5.REQUEST_RESPONSE_INFO, Mqtt5.MAXIMUM_QOS,
                        Mqtt5.RETAIN_AVAILABLE, Mqtt5.WILDCARD_SUB_AVAILABLE, Mqtt5.SUB_ID_AVAILABLE,
                        Mqtt5.SHARED_SUB_AVAILABLE -> (long) u8();
                case Mqtt5.SERVER_KEEP_ALIVE, Mqtt5.RECEIVE_MAXIMUM, Mqtt5.TOPIC_ALIAS_MAXIMUM, Mqtt5.TOPIC_ALIAS -> (long) u16();
                case Mqtt5.MESSAGE_EXPIRY, Mqtt5.SESSION_EXPIRY, Mqtt5.WILL_DELAY, Mqtt5.MAXIMUM_PACKET_SIZE -> u32();
                case Mqtt5.SUBSCRIPTION_ID -> (long) varint();
                case Mqtt5.CONTENT_TYPE, Mqtt5.RESPONSE_TOPIC, Mqtt5.ASSIGNED_CLIENT_ID, Mqtt5.AUTH_METHOD,
                        Mqtt5.RESPONSE_INFO, Mqtt5.SERVER_REFERENCE, Mqtt5.REASON_STRING -> readString();
                case Mqtt5.CORRELATION_DATA, Mqtt5.AUTH_DATA -> binary();
                case Mqtt5.USER_PROPERTY -> new String[] {readString(), readString()};
                default -> throw new IllegalStateException("unknown property 0x" + Integer.toHexString(id));
            };
            props.add(new Prop(id, v));
        }
        if (at != end) {
            throw new IllegalStateException("property section overran its length");
        }
    }

    // ---------------------------------------------------------------- accessors

    public Packet raw() {
        return raw;
    }

    public int type() {
        return raw.type();
    }

    /** The (first) reason code: CONNACK, acks, DISCONNECT, AUTH; the first of SUBACK/UNSUBACK. */
    public int reason() {
        return reasons.get(0);
    }

    public List<Integer> reasons() {
        return List.copyOf(reasons);
    }

    public boolean sessionPresent() {
        return sessionPresent;
    }

    public int packetId() {
        return packetId;
    }

    public String topic() {
        return topic;
    }

    public byte[] payload() {
        return payload.clone();
    }

    public String payloadString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public int qos() {
        return raw.qos();
    }

    public boolean retain() {
        return raw.retain();
    }

    public List<Prop> props() {
        return List.copyOf(props);
    }

    /** The property identifiers, in wire order. */
    public List<Integer> propIds() {
        return props.stream().map(Prop::id).toList();
    }

    public boolean has(int id) {
        return props.stream().anyMatch(p -> p.id() == id);
    }

    private Object first(int id) {
        return props.stream().filter(p -> p.id() == id).map(Prop::value).findFirst().orElse(null);
    }

    /** A numeric property, or null when absent. */
    public Long number(int id) {
        return (Long) first(id);
    }

    public String string(int id) {
        return (String) first(id);
    }

    public byte[] binary(int id) {
        return (byte[]) first(id);
    }

    /** Every value of a repeatable numeric property (subscription identifiers), in order. */
    public List<Long> numbers(int id) {
        return props.stream().filter(p -> p.id() == id).map(p -> (Long) p.value()).toList();
    }

    /** User properties as "key=value", in wire order. */
    public List<String> userProps() {
        return props.stream().filter(p -> p.id() == Mqtt5.USER_PROPERTY)
                .map(p -> ((String[]) p.value())[0] + "=" + ((String[]) p.value())[1]).toList();
    }

    @Override
    public String toString() {
        String name = raw.type() == Mqtt5.AUTH ? "AUTH" : Mqtt.typeName(raw.type());
        StringBuilder sb = new StringBuilder(name).append('(');
        if (raw.type() == Mqtt.PUBLISH) {
            sb.append("topic=").append(topic).append(", qos=").append(raw.qos()).append(", retain=").append(raw.retain())
                    .append(", id=").append(packetId).append(", payload=").append(payloadString()).append(", ");
        } else if (raw.type() == Mqtt.CONNACK) {
            sb.append("sp=").append(sessionPresent).append(", ");
        }
        if (!reasons.isEmpty()) {
            sb.append("reasons=").append(reasons.stream().map(r -> String.format("0x%02X", r)).toList()).append(", ");
        }
        return sb.append("props=").append(props).append(')').toString();
    }
}
