package io.midge.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encoders for MQTT 3.1.1 packets as raw bytes, deliberately permissive: tests use them to put
 * both valid and invalid packets on the wire.
 */
public final class Mqtt {

    public static final int CONNECT = 1, CONNACK = 2, PUBLISH = 3, PUBACK = 4, PUBREC = 5, PUBREL = 6,
            PUBCOMP = 7, SUBSCRIBE = 8, SUBACK = 9, UNSUBSCRIBE = 10, UNSUBACK = 11, PINGREQ = 12,
            PINGRESP = 13, DISCONNECT = 14;

    private Mqtt() {}

    public static String typeName(int type) {
        return switch (type) {
            case CONNECT -> "CONNECT";
            case CONNACK -> "CONNACK";
            case PUBLISH -> "PUBLISH";
            case PUBACK -> "PUBACK";
            case PUBREC -> "PUBREC";
            case PUBREL -> "PUBREL";
            case PUBCOMP -> "PUBCOMP";
            case SUBSCRIBE -> "SUBSCRIBE";
            case SUBACK -> "SUBACK";
            case UNSUBSCRIBE -> "UNSUBSCRIBE";
            case UNSUBACK -> "UNSUBACK";
            case PINGREQ -> "PINGREQ";
            case PINGRESP -> "PINGRESP";
            case DISCONNECT -> "DISCONNECT";
            default -> "TYPE" + type;
        };
    }

    /** A whole packet: the fixed header byte, the encoded remaining length and the body. */
    public static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
        out.write(firstByte);
        out.writeBytes(remainingLength(body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    public static byte[] remainingLength(int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4);
        do {
            int digit = length % 128;
            length /= 128;
            if (length > 0) {
                digit |= 0x80;
            }
            out.write(digit);
        } while (length > 0);
        return out.toByteArray();
    }

    public static byte[] utf8(String s) {
        return lengthPrefixed(s.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] lengthPrefixed(byte[] b) {
        byte[] out = new byte[b.length + 2];
        out[0] = (byte) (b.length >> 8);
        out[1] = (byte) b.length;
        System.arraycopy(b, 0, out, 2, b.length);
        return out;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Bytes given as ints, e.g. {@code of(0xD0, 0x00)}. */
    public static byte[] of(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(b.length, 64);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", b[i] & 0xFF));
        }
        if (b.length > n) {
            sb.append(" ... (").append(b.length).append(" bytes)");
        }
        return sb.toString();
    }

    public static byte[] publish(String topic, int qos, boolean retain, boolean dup, int packetId, byte[] payload) {
        int header = (PUBLISH << 4) | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0);
        byte[] id = qos > 0 ? of(packetId >> 8, packetId & 0xFF) : new byte[0];
        return packet(header, concat(utf8(topic), id, payload));
    }

    public static byte[] ack(int type, int packetId) {
        int flags = type == PUBREL ? 0x02 : 0;
        return packet((type << 4) | flags, of(packetId >> 8, packetId & 0xFF));
    }

    public static byte[] puback(int id) {
        return ack(PUBACK, id);
    }

    public static byte[] pubrec(int id) {
        return ack(PUBREC, id);
    }

    public static byte[] pubrel(int id) {
        return ack(PUBREL, id);
    }

    public static byte[] pubcomp(int id) {
        return ack(PUBCOMP, id);
    }

    /** SUBSCRIBE with the given fixed-header byte (0x82 is the only valid one) and (filter, qos) pairs. */
    public static byte[] subscribeWithHeader(int firstByte, int packetId, Object... filterQosPairs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(of(packetId >> 8, packetId & 0xFF));
        for (int i = 0; i < filterQosPairs.length; i += 2) {
            body.writeBytes(utf8((String) filterQosPairs[i]));
            body.write((Integer) filterQosPairs[i + 1]);
        }
        return packet(firstByte, body.toByteArray());
    }

    public static byte[] subscribe(int packetId, Object... filterQosPairs) {
        return subscribeWithHeader(0x82, packetId, filterQosPairs);
    }

    public static byte[] unsubscribe(int packetId, String... filters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(of(packetId >> 8, packetId & 0xFF));
        for (String f : filters) {
            body.writeBytes(utf8(f));
        }
        return packet(0xA2, body.toByteArray());
    }

    public static byte[] pingreq() {
        return of(0xC0, 0x00);
    }

    public static byte[] disconnect() {
        return of(0xE0, 0x00);
    }

    public static Connect connect(String clientId) {
        return new Connect(clientId);
    }

    /** A CONNECT packet builder; every field, including the flags byte, can be set to invalid values. */
    public static final class Connect {
        private String protocolName = "MQTT";
        private int level = 4;
        private final String clientId;
        private boolean cleanSession = true;
        private int keepAlive = 60;
        private String willTopic;
        private byte[] willPayload;
        private int willQos;
        private boolean willRetain;
        private String username;
        private byte[] password;
        private Integer flagsOverride;
        private int headerFlags;

        Connect(String clientId) {
            this.clientId = clientId;
        }

        public Connect protocol(String name, int level) {
            this.protocolName = name;
            this.level = level;
            return this;
        }

        public Connect cleanSession(boolean clean) {
            this.cleanSession = clean;
            return this;
        }

        public Connect keepAlive(int seconds) {
            this.keepAlive = seconds;
            return this;
        }

        public Connect will(String topic, String payload, int qos, boolean retain) {
            this.willTopic = topic;
            this.willPayload = bytes(payload);
            this.willQos = qos;
            this.willRetain = retain;
            return this;
        }

        public Connect username(String username) {
            this.username = username;
            return this;
        }

        public Connect password(String password) {
            this.password = bytes(password);
            return this;
        }

        /** Replaces the computed connect-flags byte; the payload still holds whatever fields are set. */
        public Connect flags(int flags) {
            this.flagsOverride = flags;
            return this;
        }

        /** The low four bits of the fixed header byte (0 is the only valid value in MQTT 3.1.1). */
        public Connect headerFlags(int flags) {
            this.headerFlags = flags;
            return this;
        }

        public int computedFlags() {
            int f = cleanSession ? 0x02 : 0;
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
            body.writeBytes(utf8(protocolName));
            body.write(level);
            body.write(flags);
            body.writeBytes(of(keepAlive >> 8, keepAlive & 0xFF));
            body.writeBytes(utf8(clientId));
            if (willTopic != null) {
                body.writeBytes(utf8(willTopic));
                body.writeBytes(lengthPrefixed(willPayload));
            }
            if (username != null) {
                body.writeBytes(utf8(username));
            }
            if (password != null) {
                body.writeBytes(lengthPrefixed(password));
            }
            return packet((CONNECT << 4) | headerFlags, body.toByteArray());
        }
    }
}
