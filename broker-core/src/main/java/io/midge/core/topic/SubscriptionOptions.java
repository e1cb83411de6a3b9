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

    private static final int KNOWN = QOS_MASK | NO_LOCAL | RETAIN_AS_PUBLISHED;

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

    /** Whether {@code options} has a QoS of 0..2 and no bits but the known options. */
    public static boolean isValid(int options) {
        return (options & ~KNOWN) == 0 && qos(options) <= 2;
    }

    /** The same options with another QoS. */
    public static int withQos(int options, int qos) {
        return (options & ~QOS_MASK) | qos;
    }
}
