package io.midge.it;

import static io.midge.it.Mqtt.concat;
import static io.midge.it.Mqtt.lengthPrefixed;
import static io.midge.it.Mqtt.of;
import static io.midge.it.Mqtt.packet;
import static io.midge.it.Mqtt.utf8;

import java.io.ByteArrayOutputStream;

/**
 * Encoders for MQTT 5 packets as raw bytes. Like {@link Mqtt} they are deliberately permissive
 * (duplicate or misplaced properties, any reason code), so tests can put protocol errors on the
 * wire as easily as valid packets.
 */
public final class Mqtt5 {

    public static final int AUTH = 15;

    // Property identifiers (MQTT 5 section 2.2.2.2).
    public static final int PAYLOAD_FORMAT = 0x01, MESSAGE_EXPIRY = 0x02, CONTENT_TYPE = 0x03,
            RESPONSE_TOPIC = 0x08, CORRELATION_DATA = 0x09, SUBSCRIPTION_ID = 0x0B, SESSION_EXPIRY = 0x11,
            ASSIGNED_CLIENT_ID = 0x12, SERVER_KEEP_ALIVE = 0x13, AUTH_METHOD = 0x15, AUTH_DATA = 0x16,
            REQUEST_PROBLEM_INFO = 0x17, WILL_DELAY = 0x18, REQUEST_RESPONSE_INFO = 0x19,
            RESPONSE_INFO = 0x1A, SERVER_REFERENCE = 0x1C, REASON_STRING = 0x1F, RECEIVE_MAXIMUM = 0x21,
            TOPIC_ALIAS_MAXIMUM = 0x22, TOPIC_ALIAS = 0x23, MAXIMUM_QOS = 0x24, RETAIN_AVAILABLE = 0x25,
            USER_PROPERTY = 0x26, MAXIMUM_PACKET_SIZE = 0x27, WILDCARD_SUB_AVAILABLE = 0x28,
            SUB_ID_AVAILABLE = 0x29, SHARED_SUB_AVAILABLE = 0x2A;

    private Mqtt5() {}

    public static Props props() {
        return new Props();
    }

    /** Variable byte integer (MQTT 5 section 1.5.5), the same encoding as the remaining length. */
    public static byte[] varint(int value) {
        return Mqtt.remainingLength(value);
    }

    /**
     * A property section under construction; {@link #encode()} prefixes the length. Properties are
     * written in the order added, duplicates included.
     */
    public static final class Props {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        public Props u8(int id, int value) {
            bytes.write(id);
            bytes.write(value);
            return this;
        }

        public Props u16(int id, int value) {
            bytes.write(id);
            bytes.writeBytes(of(value >> 8, value));
            return this;
        }

        public Props u32(int id, long value) {
            bytes.write(id);
            bytes.writeBytes(of((int) (value >> 24), (int) (value >> 16), (int) (value >> 8), (int) value));
            return this;
        }

        public Props varint(int id, int value) {
            bytes.write(id);
            bytes.writeBytes(Mqtt5.varint(value));
            return this;
        }

        public Props str(int id, String value) {
            bytes.write(id);
            bytes.writeBytes(utf8(value));
            return this;
        }

        public Props bin(int id, byte[] value) {
            bytes.write(id);
            bytes.writeBytes(lengthPrefixed(value));
            return this;
        }

        public Props user(String key, String value) {
            bytes.write(USER_PROPERTY);
            bytes.writeBytes(utf8(key));
            bytes.writeBytes(utf8(value));
            return this;
        }

        /** Anything at all, e.g. an unknown property identifier. */
        public Props raw(int... values) {
            bytes.writeBytes(of(values));
            return this;
        }

        public boolean isEmpty() {
            return bytes.size() == 0;
        }

        /** The property length followed by the properties. */
        public byte[] encode() {
            byte[] b = bytes.toByteArray();
            return concat(Mqtt5.varint(b.length), b);
        }
    }

    private static byte[] encode(Props props) {
        return props == null ? of(0x00) : props.encode();
    }

    // ---------------------------------------------------------------- packets

    /** Subscription options byte (MQTT 5 section 3.8.3.1). */
    public static int options(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        return qos | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | (retainHandling << 4);
    }

    public static byte[] publish(String topic, int qos, boolean retain, int packetId, Props props, byte[] payload) {
        return publish(topic, qos, retain, false, packetId, props, payload);
    }

    public static byte[] publish(String topic, int qos, boolean retain, boolean dup, int packetId, Props props,
            byte[] payload) {
        int header = (Mqtt.PUBLISH << 4) | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0);
        byte[] id = qos > 0 ? of(packetId >> 8, packetId) : new byte[0];
        return packet(header, concat(utf8(topic), id, encode(props), payload));
    }

    public static byte[] publish(String topic, int qos, int packetId, Props props, String payload) {
        return publish(topic, qos, false, packetId, props, Mqtt.bytes(payload));
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP with a reason code and properties (null: none). */
    public static byte[] ack(int type, int packetId, int reason, Props props) {
        int flags = type == Mqtt.PUBREL ? 0x02 : 0;
        return packet((type << 4) | flags, concat(of(packetId >> 8, packetId, reason), encode(props)));
    }

    /** SUBSCRIBE with properties (null: none) and (filter, options byte) pairs. */
    public static byte[] subscribe(int packetId, Props props, Object... filterOptionPairs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(of(packetId >> 8, packetId));
        body.writeBytes(encode(props));
        for (int i = 0; i < filterOptionPairs.length; i += 2) {
            body.writeBytes(utf8((String) filterOptionPairs[i]));
            body.write((Integer) filterOptionPairs[i + 1]);
        }
        return packet(0x82, body.toByteArray());
    }

    public static byte[] unsubscribe(int packetId, Props props, String... filters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(of(packetId >> 8, packetId));
        body.writeBytes(encode(props));
        for (String f : filters) {
            body.writeBytes(utf8(f));
        }
        return packet(0xA2, body.toByteArray());
    }

    public static byte[] disconnect(int reason, Props props) {
        return packet(0xE0, concat(of(reason), encode(props)));
    }

    public static byte[] auth(int reason, Props props) {
        return packet(AUTH << 4, concat(of(reason), encode(props)));
    }

    public static Connect connect(String clientId) {
        return new Connect(clientId);
    }

    /** An MQTT 5 CONNECT builder; the flags byte can be overridden with invalid values. */
    public static final class Connect {
        private final String clientId;
        private boolean cleanStart = true;
        private int keepAlive = 60;
        private Props props;
        private String willTopic;
        private byte[] willPayload;
        private int willQos;
        private boolean willRetain;
        private Props willProps;
        private String username;
        private byte[] password;
        private Integer flagsOverride;

        Connect(String clientId) {
            this.clientId = clientId;
        }

        public Connect cleanStart(boolean clean) {
            this.cleanStart = clean;
            return this;
        }

        public Connect keepAlive(int seconds) {
            this.keepAlive = seconds;
            return this;
        }

        public Connect props(Props props) {
            this.props = props;
            return this;
        }

        public Connect will(String topic, String payload, int qos, boolean retain, Props willProperties) {
            this.willTopic = topic;
            this.willPayload = Mqtt.bytes(payload);
            this.willQos = qos;
            this.willRetain = retain;
            this.willProps = willProperties;
            return this;
        }

        public Connect username(String username) {
            this.username = username;
            return this;
        }

        public Connect password(String password) {
            this.password = Mqtt.bytes(password);
            return this;
        }

        public Connect flags(int flags) {
            this.flagsOverride = flags;
            return this;
        }

        public int computedFlags() {
            int f = cleanStart ? 0x02 : 0;
            if (willTopic != null) {
                f |= 0x04 | (willQos << 3) | (willRetain ? 0x20 : 0);
            }
            if (username != null) {
                f |= 0x80;
            }
            if (password != null) {
                f |= 0x40;
            }
            return f;
        }

        public byte[] build() {
            int flags = flagsOverride != null ? flagsOverride : computedFlags();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(utf8("MQTT"));
            body.write(5);
            body.write(flags);
            body.writeBytes(of(keepAlive >> 8, keepAlive));
            body.writeBytes(encode(props));
            body.writeBytes(utf8(clientId));
            if (willTopic != null) {
                body.writeBytes(encode(willProps));
                body.writeBytes(utf8(willTopic));
                body.writeBytes(lengthPrefixed(willPayload));
            }
            if (username != null) {
                body.writeBytes(utf8(username));
            }
            if (password != null) {
                body.writeBytes(lengthPrefixed(password));
            }
            return packet(Mqtt.CONNECT << 4, body.toByteArray());
        }
    }
}
