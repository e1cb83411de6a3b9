package io.midge.core.packet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The properties of one MQTT 5 packet (or of a will), immutable.
 *
 * <p>Two empty values exist and mean different things on the wire: {@link #ABSENT}, an MQTT
 * 3.1/3.1.1 packet, which has no property section at all; and {@link #EMPTY}, an MQTT 5 packet
 * whose property length is 0. The encoder writes a property section exactly when the properties
 * are not {@link #ABSENT}, so a packet made for a 3.1.1 client can never grow MQTT 5 fields.
 *
 * <p>Values are held as {@link Property.Type} says: Integer for the numeric types (four-byte
 * ones as an unsigned int), String, byte[]. User properties keep their order and duplicates;
 * subscription identifiers (several in a PUBLISH to a client) are kept apart, in order.
 */
public final class Properties {

    /** An MQTT 3.1/3.1.1 packet: no property section. */
    public static final Properties ABSENT = new Properties(new EnumMap<>(Property.class), List.of(), new int[0]);
    /** An MQTT 5 packet with a property length of 0. */
    public static final Properties EMPTY = new Properties(new EnumMap<>(Property.class), List.of(), new int[0]);

    private final EnumMap<Property, Object> values;
    private final List<Map.Entry<String, String>> userProperties;
    private final int[] subscriptionIdentifiers;

    private Properties(EnumMap<Property, Object> values, List<Map.Entry<String, String>> userProperties,
                       int[] subscriptionIdentifiers) {
        this.values = values;
        this.userProperties = userProperties;
        this.subscriptionIdentifiers = subscriptionIdentifiers;
    }

    /** Whether this is an MQTT 3.1/3.1.1 packet's (no property section on the wire). */
    public boolean absent() {
        return this == ABSENT;
    }

    /** No property at all (either empty value). */
    public boolean isEmpty() {
        return values.isEmpty() && userProperties.isEmpty() && subscriptionIdentifiers.length == 0;
    }

    public boolean has(Property property) {
        return property == Property.USER_PROPERTY ? !userProperties.isEmpty()
                : property == Property.SUBSCRIPTION_IDENTIFIER ? subscriptionIdentifiers.length > 0
                : values.containsKey(property);
    }

    /** The value of a numeric property, or {@code otherwise} when it is not there. */
    public int intValue(Property property, int otherwise) {
        Object value = values.get(property);
        return value == null ? otherwise : (Integer) value;
    }

    /** A four-byte property's value as the unsigned number it is, or {@code otherwise}. */
    public long unsignedValue(Property property, long otherwise) {
        Object value = values.get(property);
        return value == null ? otherwise : Integer.toUnsignedLong((Integer) value);
    }

    /** A string property's value, or null. */
    public String string(Property property) {
        return (String) values.get(property);
    }

    /** A binary property's value, or null; the array is shared and must not be written. */
    public byte[] binary(Property property) {
        return (byte[]) values.get(property);
    }

    /** The raw value (Integer, String or byte[]) of a property other than user properties and subscription identifiers, or null. */
    public Object get(Property property) {
        return values.get(property);
    }

    /** The single-valued properties present, in identifier order. */
    public Map<Property, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    /** User properties in the order they came, duplicates kept. */
    public List<Map.Entry<String, String>> userProperties() {
        return userProperties;
    }

    /** Subscription identifiers, in order; a copy. */
    public int[] subscriptionIdentifiers() {
        return subscriptionIdentifiers.clone();
    }

    public int subscriptionIdentifierCount() {
        return subscriptionIdentifiers.length;
    }

    public int subscriptionIdentifier(int i) {
        return subscriptionIdentifiers[i];
    }

    /** A builder starting from these properties (an absent set starts empty). */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.values.putAll(values);
        builder.userProperties.addAll(userProperties);
        for (int id : subscriptionIdentifiers) {
            builder.subscriptionIdentifier(id);
        }
        return builder;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Properties other) || absent() != other.absent()) {
            return false;
        }
        if (!userProperties.equals(other.userProperties)
                || !Arrays.equals(subscriptionIdentifiers, other.subscriptionIdentifiers)
                || !values.keySet().equals(other.values.keySet())) {
            return false;
        }
        for (Map.Entry<Property, Object> entry : values.entrySet()) {
            if (!Objects.deepEquals(entry.getValue(), other.values.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(values.keySet(), userProperties, Arrays.hashCode(subscriptionIdentifiers));
    }

    @Override
    public String toString() {
        if (absent()) {
            return "Properties[absent]";
        }
        StringBuilder s = new StringBuilder("Properties[");
        values.forEach((p, v) -> s.append(p).append('=')
                .append(v instanceof byte[] b ? b.length + " bytes" : v).append(", "));
        userProperties.forEach(e -> s.append(e.getKey()).append(':').append(e.getValue()).append(", "));
        for (int id : subscriptionIdentifiers) {
            s.append("SUBSCRIPTION_IDENTIFIER=").append(id).append(", ");
        }
        if (s.charAt(s.length() - 1) == ' ') {
            s.setLength(s.length() - 2);
        }
        return s.append(']').toString();
    }

    /** Builds an MQTT 5 property set; {@link #build()} of nothing gives {@link #EMPTY}. */
    public static final class Builder {
        private final EnumMap<Property, Object> values = new EnumMap<>(Property.class);
        private final List<Map.Entry<String, String>> userProperties = new ArrayList<>(0);
        private int[] subscriptionIdentifiers = new int[0];

        private Builder() {}

        /** Sets a single-valued property (not user properties or subscription identifiers); value as {@link Property.Type} says. */
        public Builder put(Property property, Object value) {
            if (property == Property.USER_PROPERTY || property == Property.SUBSCRIPTION_IDENTIFIER) {
                throw new IllegalArgumentException(property + " has its own method");
            }
            values.put(property, Objects.requireNonNull(value));
            return this;
        }

        public Builder remove(Property property) {
            if (property == Property.USER_PROPERTY) {
                userProperties.clear();
            } else if (property == Property.SUBSCRIPTION_IDENTIFIER) {
                subscriptionIdentifiers = new int[0];
            } else {
                values.remove(property);
            }
            return this;
        }

        public Builder userProperty(String name, String value) {
            userProperties.add(Map.entry(name, value));
            return this;
        }

        public Builder subscriptionIdentifier(int id) {
            subscriptionIdentifiers = Arrays.copyOf(subscriptionIdentifiers, subscriptionIdentifiers.length + 1);
            subscriptionIdentifiers[subscriptionIdentifiers.length - 1] = id;
            return this;
        }

        public boolean has(Property property) {
            return property == Property.USER_PROPERTY ? !userProperties.isEmpty()
                    : property == Property.SUBSCRIPTION_IDENTIFIER ? subscriptionIdentifiers.length > 0
                    : values.containsKey(property);
        }

        public Properties build() {
            if (values.isEmpty() && userProperties.isEmpty() && subscriptionIdentifiers.length == 0) {
                return EMPTY;
            }
            return new Properties(new EnumMap<>(values), List.copyOf(userProperties), subscriptionIdentifiers.clone());
        }
    }
}
