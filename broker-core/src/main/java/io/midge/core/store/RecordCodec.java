package io.midge.core.store;

import io.midge.core.auth.Authorizer;
import io.midge.core.message.Message;
import io.midge.core.message.MessageProperties;
import io.midge.core.message.Origin;
import io.midge.core.topic.SubscriptionOptions;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of the store's records. Each starts with a version byte, so a later Midge can read
 * what an earlier one wrote. Decoding checks every length against what is left, so a damaged
 * record is an error, never a huge allocation.
 */
final class RecordCodec {

    static final int FORMAT_VERSION = 1;

    /**
     * A subscription's value: one byte, its {@link SubscriptionOptions}. Before the options
     * existed the byte was the granted QoS alone, which reads as the same QoS with no option set,
     * so the format did not change.
     */
    static byte[] subscription(int options) {
        int id = SubscriptionOptions.subscriptionId(options);
        if (id == 0) {
            return new byte[] {(byte) options};
        }
        // An MQTT 5 subscription identifier follows the flags byte; older records have none.
        return new byte[] {(byte) (options & 0x0F), (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    static int subscriptionOptions(byte[] value) throws StoreException {
        if ((value.length != 1 && value.length != 5) || !SubscriptionOptions.isValid(value[0] & 0x0F) || (value[0] & 0xF0) != 0) {
            throw new StoreException("subscription options are not a QoS 0, 1 or 2 with known flags");
        }
        if (value.length == 1) {
            return value[0];
        }
        int id = (value[1] & 0xFF) << 24 | (value[2] & 0xFF) << 16 | (value[3] & 0xFF) << 8 | (value[4] & 0xFF);
        if (id <= 0 || id > SubscriptionOptions.MAX_SUBSCRIPTION_ID) {
            throw new StoreException("subscription identifier " + Integer.toUnsignedString(id) + " is out of range");
        }
        return SubscriptionOptions.withSubscriptionId(value[0], id);
    }
    private static final int MESSAGE_VERSION = 1;
    private static final int SESSION_VERSION = 1;
    private static final int OUTBOUND_VERSION = 1;

    private static final int PROPERTY_INT = 0;
    private static final int PROPERTY_STRING = 1;
    private static final int PROPERTY_BYTES = 2;

    private RecordCodec() {}

    // ---- messages ----

    static byte[] message(Message message) {
        Output out = new Output(64 + message.payload().length);
        writeMessage(out, message);
        return out.bytes();
    }

    private static void writeMessage(Output out, Message message) {
        out.byte_(MESSAGE_VERSION);
        out.long_(message.id());
        out.string(message.topic());
        out.bytes(message.payload());
        out.byte_(message.qos() | (message.retain() ? 0x80 : 0));
        Origin origin = message.origin();
        out.nullableString(origin == null ? null : origin.clientId());
        out.nullableString(origin == null ? null : origin.username());
        out.long_(message.expiresAtMillis());
        writeProperties(out, message.properties());
    }

    /** @param authorizer the rules a recovered message's publisher is checked against (check_retain_source) */
    static Message message(byte[] value, Authorizer authorizer) throws StoreException {
        return readMessage(new Input(value), authorizer);
    }

    private static Message readMessage(Input in, Authorizer authorizer) throws StoreException {
        in.expectVersion(MESSAGE_VERSION, "message");
        long id = in.long_();
        String topic = in.string();
        byte[] payload = in.bytes();
        int flags = in.byte_();
        int qos = flags & 0x03;
        if (qos > 2) {
            throw new StoreException("message " + id + " has QoS " + qos);
        }
        boolean hasOrigin = in.peekPresent();
        String clientId = in.nullableString();
        String username = in.nullableString();
        Origin origin = hasOrigin ? new Origin(clientId, username, authorizer) : null;
        long expiresAt = in.long_();
        MessageProperties properties = readProperties(in);
        return new Message(id, topic, payload, qos, (flags & 0x80) != 0, origin, expiresAt, properties);
    }

    private static void writeProperties(Output out, MessageProperties properties) {
        out.int_(properties.values().size());
        for (Map.Entry<Integer, Object> property : properties.values().entrySet()) {
            out.byte_(property.getKey());
            Object value = property.getValue();
            if (value instanceof Integer i) {
                out.byte_(PROPERTY_INT);
                out.int_(i);
            } else if (value instanceof String s) {
                out.byte_(PROPERTY_STRING);
                out.string(s);
            } else {
                out.byte_(PROPERTY_BYTES);
                out.bytes((byte[]) value);
            }
        }
        out.int_(properties.userProperties().size());
        for (Map.Entry<String, String> pair : properties.userProperties()) {
            out.string(pair.getKey());
            out.string(pair.getValue());
        }
    }

    private static MessageProperties readProperties(Input in) throws StoreException {
        int count = in.count();
        Map<Integer, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int id = in.byte_();
            int type = in.byte_();
            values.put(id, switch (type) {
                case PROPERTY_INT -> in.int_();
                case PROPERTY_STRING -> in.string();
                case PROPERTY_BYTES -> in.bytes();
                default -> throw new StoreException("unknown property type " + type);
            });
        }
        int pairs = in.count();
        List<Map.Entry<String, String>> user = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            user.add(Map.entry(in.string(), in.string()));
        }
        return values.isEmpty() && user.isEmpty() ? MessageProperties.NONE : new MessageProperties(values, user);
    }

    // ---- sessions ----

    /** The session expiry follows the will only when it is not "never", so 3.1.1 sessions read as before. */
    static byte[] session(long incarnation, long disconnectedAtMillis, Message will, long expiryMillis) {
        Output out = new Output(40);
        out.byte_(SESSION_VERSION);
        out.long_(incarnation);
        out.long_(disconnectedAtMillis);
        out.byte_(will == null ? 0 : 1);
        if (will != null) {
            writeMessage(out, will);
        }
        if (expiryMillis != StoredSession.NEVER_EXPIRES) {
            out.long_(expiryMillis);
        }
        return out.bytes();
    }

    record SessionValue(long incarnation, long disconnectedAtMillis, Message will, long expiryMillis) {}

    static SessionValue session(byte[] value, Authorizer authorizer) throws StoreException {
        Input in = new Input(value);
        in.expectVersion(SESSION_VERSION, "session");
        long incarnation = in.long_();
        long disconnectedAt = in.long_();
        Message will = in.byte_() == 1 ? readMessage(in, authorizer) : null;
        long expiry = in.remaining() >= 8 ? in.long_() : StoredSession.NEVER_EXPIRES;
        return new SessionValue(incarnation, disconnectedAt, will, expiry);
    }

    // ---- outbound entries ----

    static byte[] outbound(long incarnation, int qos, boolean retain, int packetId, boolean released) {
        return ByteBuffer.allocate(13).put((byte) OUTBOUND_VERSION).putLong(incarnation)
                .put((byte) (qos | (retain ? 0x80 : 0) | (released ? 0x40 : 0))).putShort((short) packetId).array();
    }

    record OutboundValue(long incarnation, int qos, boolean retain, int packetId, boolean released) {}

    static OutboundValue outbound(byte[] value) throws StoreException {
        Input in = new Input(value);
        in.expectVersion(OUTBOUND_VERSION, "outbound entry");
        long incarnation = in.long_();
        int flags = in.byte_();
        int packetId = in.short_();
        return new OutboundValue(incarnation, flags & 0x03, (flags & 0x80) != 0, packetId, (flags & 0x40) != 0);
    }

    static byte[] formatVersion() {
        return new byte[] {FORMAT_VERSION};
    }

    // ---- primitives ----

    /** A growing byte array: records are written on the store's one writer thread, field by field. */
    private static final class Output {
        private byte[] bytes;
        private int size;

        Output(int sizeHint) {
            bytes = new byte[Math.max(16, sizeHint)];
        }

        void byte_(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void int_(int value) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void long_(long value) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void bytes(byte[] value) {
            int_(value.length);
            ensure(value.length);
            System.arraycopy(value, 0, bytes, size, value.length);
            size += value.length;
        }

        void string(String value) {
            bytes(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        void nullableString(String value) {
            if (value == null) {
                int_(-1);
            } else {
                string(value);
            }
        }

        byte[] bytes() {
            return size == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    private static final class Input {
        private final ByteBuffer buffer;

        Input(byte[] value) {
            buffer = ByteBuffer.wrap(value);
        }

        int remaining() {
            return buffer.remaining();
        }

        void expectVersion(int version, String what) throws StoreException {
            int found = byte_();
            if (found != version) {
                throw new StoreException(what + " record version " + found + ", this Midge reads " + version);
            }
        }

        int byte_() throws StoreException { need(1); return buffer.get() & 0xFF; }
        int short_() throws StoreException { need(2); return buffer.getShort() & 0xFFFF; }
        int int_() throws StoreException { need(4); return buffer.getInt(); }
        long long_() throws StoreException { need(8); return buffer.getLong(); }

        int peekInt() throws StoreException { need(4); return buffer.getInt(buffer.position()); }

        boolean peekPresent() throws StoreException { return peekInt() >= 0; }

        /** A count of following items, each at least one byte: more than the bytes left means damage. */
        int count() throws StoreException {
            int count = int_();
            if (count < 0 || count > buffer.remaining()) {
                throw new StoreException("record damaged: count " + count + " with " + buffer.remaining() + " bytes left");
            }
            return count;
        }

        byte[] bytes() throws StoreException {
            int length = int_();
            if (length < 0 || length > buffer.remaining()) {
                throw new StoreException("record damaged: length " + length + " with " + buffer.remaining() + " bytes left");
            }
            byte[] value = new byte[length];
            buffer.get(value);
            return value;
        }

        String string() throws StoreException {
            return new String(bytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        String nullableString() throws StoreException {
            if (peekInt() == -1) {
                int_();
                return null;
            }
            return string();
        }

        private void need(int bytes) throws StoreException {
            if (buffer.remaining() < bytes) {
                throw new StoreException("record damaged: truncated");
            }
        }
    }
}
