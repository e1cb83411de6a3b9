package io.midge.core.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The key layout. One key space, ordered by RocksDB's bytewise comparator; the first byte is the
 * record kind, and a session's records share the prefix kind + length + client id, so one range
 * delete removes each kind of them.
 *
 * <pre>
 *   'F'                              format version
 *   'R' topic                        retained message (inline)
 *   'M' id(8)                        message referenced by outbound entries
 *   'S' len(2) clientId              session
 *   'U' len(2) clientId filter       subscription: qos
 *   'O' len(2) clientId id(8)        outbound entry, in message id order
 *   'I' len(2) clientId packetId(2)  inbound QoS 2 message awaiting PUBREL (inline)
 * </pre>
 */
final class StoreKeys {

    static final byte FORMAT = 'F';
    static final byte RETAINED = 'R';
    static final byte MESSAGE = 'M';
    static final byte SESSION = 'S';
    static final byte SUBSCRIPTION = 'U';
    static final byte OUTBOUND = 'O';
    static final byte INBOUND = 'I';

    static final byte[] FORMAT_KEY = {FORMAT};

    private StoreKeys() {}

    static byte[] retained(String topic) {
        return withKind(RETAINED, topic.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] message(long id) {
        return ByteBuffer.allocate(9).put(MESSAGE).putLong(id).array();
    }

    static byte[] session(String clientId) {
        return clientPrefix(SESSION, clientId, 0).array();
    }

    static byte[] subscription(String clientId, String filter) {
        byte[] f = filter.getBytes(StandardCharsets.UTF_8);
        return clientPrefix(SUBSCRIPTION, clientId, f.length).put(f).array();
    }

    static byte[] outbound(String clientId, long messageId) {
        return clientPrefix(OUTBOUND, clientId, 8).putLong(messageId).array();
    }

    static byte[] inbound(String clientId, int packetId) {
        return clientPrefix(INBOUND, clientId, 2).putShort((short) packetId).array();
    }

    /** The prefix every key of that kind and client starts with. */
    static byte[] clientPrefix(byte kind, String clientId) {
        return clientPrefix(kind, clientId, 0).array();
    }

    /** The first key after every key starting with {@code prefix}, for range deletes. */
    static byte[] after(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (++end[i] != 0) {
                return end;
            }
        }
        throw new IllegalArgumentException("no key follows an all-0xFF prefix");
    }

    private static ByteBuffer clientPrefix(byte kind, String clientId, int rest) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 + id.length + rest).put(kind).putShort((short) id.length).put(id);
    }

    /** The client id of a session-scoped key. */
    static String clientId(byte[] key) {
        int length = ((key[1] & 0xFF) << 8) | (key[2] & 0xFF);
        return new String(key, 3, length, StandardCharsets.UTF_8);
    }

    /** What follows the client id in a session-scoped key. */
    static ByteBuffer afterClientId(byte[] key) {
        int length = ((key[1] & 0xFF) << 8) | (key[2] & 0xFF);
        return ByteBuffer.wrap(key, 3 + length, key.length - 3 - length).slice();
    }

    static String retainedTopic(byte[] key) {
        return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    }

    private static byte[] withKind(byte kind, byte[] rest) {
        byte[] key = new byte[rest.length + 1];
        key[0] = kind;
        System.arraycopy(rest, 0, key, 1, rest.length);
        return key;
    }
}
