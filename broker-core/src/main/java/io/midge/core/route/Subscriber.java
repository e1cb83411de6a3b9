package io.midge.core.route;

import io.midge.core.message.Message;
import io.netty.util.concurrent.EventExecutor;

/**
 * Whatever a subscription delivers to: a local session today; a shared-subscription group, a
 * bridge or a remote node later. The router hands it messages on its owner loop and asks it
 * whether publishers should hold back.
 */
public interface Subscriber {

    /** The event loop that owns this subscriber's state; may change (a client reconnecting elsewhere). */
    EventExecutor owner();

    /**
     * The client id whose own messages a {@link io.midge.core.topic.SubscriptionOptions#NO_LOCAL
     * no local} subscription skips (compared with {@link Message#origin()}'s); null for a
     * subscriber that is no client.
     */
    String clientId();

    /**
     * Takes a routed message; call on {@link #owner()}.
     *
     * @param retain the retain flag to send: set for retained messages sent on subscribe, and for
     *               live ones published retained on a retain-as-published subscription
     * @return false if the message was dropped
     */
    default boolean deliver(Message message, int qos, boolean retain) {
        return deliver(message, qos, retain, 0);
    }

    /**
     * Takes a routed message for which {@link #storeDelivery} returned {@code stored}; call on {@link #owner()}.
     *
     * @return false if the message was dropped
     */
    boolean deliver(Message message, int qos, boolean retain, long stored);

    /**
     * Called on the publisher's thread as the message is routed, before it travels to the owner
     * loop: a subscriber whose state the store keeps stores the delivery now, so that the
     * publisher's ack can wait for it to be safe.
     *
     * @param retain the retain flag the delivery is to carry, as given to {@link #deliver(Message, int, boolean, long)}
     * @return a token for {@link #deliver(Message, int, boolean, long)}, 0 if nothing was stored
     */
    long storeDelivery(Message message, int qos, boolean retain);

    /** A delivery to this subscriber leaves another loop (call from that loop). */
    void incomingSent();

    /** A delivery from another loop arrived and was delivered (call on the loop it arrived on). */
    void incomingArrived();

    /** Whether publishers should hold back for this subscriber; callable from any loop. */
    boolean isCongested();

    /**
     * Wakes {@code waiter}, once, on its own loop when this subscriber is no longer congested
     * (at once if it no longer is); callable from any loop.
     */
    void awaitDrain(DrainWaiter waiter);
}
