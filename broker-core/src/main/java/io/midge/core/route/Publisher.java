package io.midge.core.route;

/** Who a message is routed for, as far as backpressure goes: it may be asked to hold back. */
@FunctionalInterface
public interface Publisher {

    /** Wills and $SYS messages: nobody to slow down. */
    Publisher NONE = congested -> { };

    /**
     * A subscriber the message went to is not keeping up: stop taking more messages until it
     * drains (see {@link Subscriber#awaitDrain}). Called on the publisher's loop, during routing.
     */
    void holdBackFor(Subscriber congested);

    /** No subscription matched the message (MQTT 5's PUBACK says so). Called on the publisher's loop, during routing. */
    default void matchedNobody() {
    }
}
