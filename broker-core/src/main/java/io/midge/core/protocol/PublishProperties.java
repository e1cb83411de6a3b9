package io.midge.core.protocol;

import io.midge.core.message.Message;
import io.midge.core.message.MessageProperties;
import io.midge.core.packet.Properties;
import io.midge.core.packet.Property;

import java.util.HashMap;
import java.util.Map;

/**
 * Between a PUBLISH's (or will's) MQTT 5 properties and what its {@link Message} carries: the
 * properties a broker forwards unchanged [MQTT-3.3.2-4, -15, -18, -20] go into the message, and
 * each delivery to an MQTT 5 client gets them back with the time left of its expiry interval
 * [MQTT-3.3.2-6] and the identifiers of the subscriptions it matched.
 */
final class PublishProperties {

    private static final Property[] FORWARDED = {Property.PAYLOAD_FORMAT_INDICATOR, Property.CONTENT_TYPE,
            Property.RESPONSE_TOPIC, Property.CORRELATION_DATA};

    private PublishProperties() {}

    /** The properties to forward with a message, or {@link MessageProperties#NONE}. */
    static MessageProperties forwarded(Properties properties) {
        if (properties.isEmpty()) {
            return MessageProperties.NONE;
        }
        Map<Integer, Object> values = null;
        for (Property property : FORWARDED) {
            Object value = properties.get(property);
            if (value != null) {
                if (values == null) {
                    values = new HashMap<>(4);
                }
                values.put(property.id(), value);
            }
        }
        if (values == null && properties.userProperties().isEmpty()) {
            return MessageProperties.NONE;
        }
        return new MessageProperties(values == null ? Map.of() : values, properties.userProperties());
    }

    /** When a message with these properties stops being delivered, in wall-clock millis, or 0 for never. */
    static long expiresAt(Properties properties, long nowMillis) {
        long seconds = properties.unsignedValue(Property.MESSAGE_EXPIRY_INTERVAL, -1);
        return seconds < 0 ? 0 : nowMillis + seconds * 1000;
    }

    /**
     * The properties of a PUBLISH of {@code message} to an MQTT 5 client.
     *
     * @param subscriptionIds the identifiers of the client's subscriptions it matched (may be empty)
     * @param topicAlias      the topic alias to set, or 0
     */
    static Properties outgoing(Message message, int[] subscriptionIds, int topicAlias, long nowMillis) {
        MessageProperties forwarded = message.properties();
        if (forwarded.isEmpty() && !message.expires() && subscriptionIds.length == 0 && topicAlias == 0) {
            return Properties.EMPTY;
        }
        Properties.Builder builder = Properties.builder();
        forwarded.values().forEach((id, value) -> builder.put(Property.of(id), value));
        forwarded.userProperties().forEach(pair -> builder.userProperty(pair.getKey(), pair.getValue()));
        if (message.expires()) {
            // Rounded up, so that a message is never announced as expired while it is still sent.
            long left = Math.max(1, (message.expiresAtMillis() - nowMillis + 999) / 1000);
            builder.put(Property.MESSAGE_EXPIRY_INTERVAL, (int) Math.min(left, 0xFFFF_FFFFL));
        }
        for (int id : subscriptionIds) {
            builder.subscriptionIdentifier(id);
        }
        if (topicAlias != 0) {
            builder.put(Property.TOPIC_ALIAS, topicAlias);
        }
        return builder.build();
    }
}
