package io.midge.core.topic;

/**
 * A subscription's options packed in one int, laid out as MQTT 5's subscription options byte:
 * the granted QoS in the low two bits, then No Local and Retain As Published. A plain QoS 0..2
 * is a valid options value meaning no option set, so MQTT 3.1.1 subscriptions need no change.
 *
 * <p>Bridges need the two options under MQTT 3.1.1 already (mosquitto gives them to the local
 * subscriptions of its own bridges and to the subscriptions of clients that connect as bridges),
 * so that what a bridge publishes is not sent back to it, and a retained message published live
 * crosses the bridge as retained.
 */
public final class SubscriptionOptions {

    public static final int QOS_MASK = 0x03;
    /** Messages published by the subscriber's own client id are not delivered to it. */
    public static final int NO_LOCAL = 0x04;
    /** Live deliveries carry the retain flag as published instead of false. */
    public static final int RETAIN_AS_PUBLISHED = 0x08;

    /**
     * An MQTT 5 subscription identifier (1..268435455, 28 bits) sits above the flags, so that it
     * is stored and restored with the subscription; 0 means none.
     */
    public static final int SUBSCRIPTION_ID_SHIFT = 4;
    public static final int MAX_SUBSCRIPTION_ID = 0x0FFF_FFFF;

    private static final int KNOWN = QOS_MASK | NO_LOCAL | RETAIN_AS_PUBLISHED;
    private static final int FLAGS_MASK = (1 << SUBSCRIPTION_ID_SHIFT) - 1;

    private SubscriptionOptions() {}

    public static int qos(int options) {
        return options & QOS_MASK;
    }

    public static boolean noLocal(int options) {
        return (options & NO_LOCAL) != 0;
    }

    public static boolean retainAsPublished(int options) {
        return (options & RETAIN_AS_PUBLISHED) != 0;
    }

    /** The subscription identifier, or 0 for none. */
    public static int subscriptionId(int options) {
        return options >>> SUBSCRIPTION_ID_SHIFT;
    }

    /** The same options with a subscription identifier (0: none). */
    public static int withSubscriptionId(int options, int subscriptionId) {
        if (subscriptionId < 0 || subscriptionId > MAX_SUBSCRIPTION_ID) {
            throw new IllegalArgumentException("subscription identifier " + subscriptionId);
        }
        return (options & FLAGS_MASK) | (subscriptionId << SUBSCRIPTION_ID_SHIFT);
    }

    /** Whether {@code options} has a QoS of 0..2 and no bits but the known options and a subscription identifier. */
    public static boolean isValid(int options) {
        return (options & FLAGS_MASK & ~KNOWN) == 0 && qos(options) <= 2;
    }

    /** The same options with another QoS. */
    public static int withQos(int options, int qos) {
        return (options & ~QOS_MASK) | qos;
    }
}
