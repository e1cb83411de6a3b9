package io.midge.core.message;

import java.util.List;
import java.util.Map;

/**
 * MQTT 5 publish properties a message carries unchanged from publisher to subscriber (payload
 * format, content type, response topic, correlation data, user properties in their order).
 * Empty for MQTT 3.1/3.1.1 messages; here so that MQTT 5 and bridges fit without changing the
 * stored format again.
 *
 * @param values property identifier (as in MQTT 5 section 2.2.2.2) to value: Integer, String,
 *               byte[] or, for user properties (0x26), a list of name/value pairs
 */
public record MessageProperties(Map<Integer, Object> values, List<Map.Entry<String, String>> userProperties) {

    public static final MessageProperties NONE = new MessageProperties(Map.of(), List.of());

    public MessageProperties {
        values = Map.copyOf(values);
        userProperties = List.copyOf(userProperties);
    }

    public boolean isEmpty() {
        return values.isEmpty() && userProperties.isEmpty();
    }
}
