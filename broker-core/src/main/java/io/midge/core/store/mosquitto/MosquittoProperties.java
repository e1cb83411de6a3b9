package io.midge.core.store.mosquitto;

import io.midge.core.message.MessageProperties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MQTT 5 properties mosquitto stores after a message (a variable byte integer length, then
 * the properties, as in a PUBLISH packet). Those forwarded with the message are kept; the
 * expiry interval is already in the message's expiry time, and the rest concern one hop only.
 */
final class MosquittoProperties {

    private static final int PAYLOAD_FORMAT = 0x01;
    private static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
    private static final int CONTENT_TYPE = 0x03;
    private static final int RESPONSE_TOPIC = 0x08;
    private static final int CORRELATION_DATA = 0x09;
    private static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    private static final int TOPIC_ALIAS = 0x23;
    private static final int USER_PROPERTY = 0x26;

    private MosquittoProperties() {}

    static MessageProperties read(ChunkInput chunk) throws MosquittoDbException {
        ChunkInput in = chunk.chunk(varInt(chunk), "the MQTT 5 properties");
        Map<Integer, Object> values = new LinkedHashMap<>();
        List<Map.Entry<String, String>> user = new ArrayList<>();
        while (in.remaining() > 0) {
            long at = in.offset();
            int id = varInt(in);
            switch (id) {
                case PAYLOAD_FORMAT -> values.put(id, in.u8());
                case CONTENT_TYPE, RESPONSE_TOPIC -> values.put(id, nonNull(in.string(in.u16(), "a property")));
                case CORRELATION_DATA -> values.put(id, in.bytes(in.u16(), "the correlation data"));
                case USER_PROPERTY -> user.add(Map.entry(nonNull(in.string(in.u16(), "a user property name")),
                        nonNull(in.string(in.u16(), "a user property value"))));
                case MESSAGE_EXPIRY_INTERVAL -> in.u32();
                case TOPIC_ALIAS -> in.u16();
                case SUBSCRIPTION_IDENTIFIER -> varInt(in);
                default -> throw in.damaged(at, "unknown MQTT 5 property " + id + " of a stored message");
            }
        }
        return values.isEmpty() && user.isEmpty() ? MessageProperties.NONE : new MessageProperties(values, user);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static int varInt(ChunkInput in) throws MosquittoDbException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.u8();
            value |= (b & 0x7F) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        throw in.damaged("a variable byte integer longer than 4 bytes");
    }
}
