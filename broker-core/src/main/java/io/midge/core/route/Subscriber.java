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
     * Takes a routed message; call on {@link #owner()}.
     *
     * @param retain the retain flag to send: set only for retained messages sent on subscribe
     * @return false if the message was dropped
     */
    boolean deliver(Message message, int qos, boolean retain);

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
