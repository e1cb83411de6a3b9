package io.midge.core.session;

import io.midge.core.route.DrainWaiter;
import io.midge.core.route.Subscriber;

import java.util.ArrayList;
import java.util.List;

/**
 * The publishers waiting for one subscriber to drain. Publishers register from their own loops
 * and are woken each on its own loop, so this is the one piece of a session shared between
 * loops under a lock; it is taken only while the subscriber is congested.
 */
final class DrainWaiters {

    private List<DrainWaiter> waiting;
    private boolean capTimerArmed;
    /** Read without the lock on every drain, so that the common case (nobody waits) costs one volatile read. */
    private volatile boolean any;

    synchronized void add(DrainWaiter waiter) {
        if (waiting == null) {
            waiting = new ArrayList<>(2);
        }
        waiting.add(waiter);
        any = true;
    }

    boolean isEmpty() {
        return !any;
    }

    /** @return true if the caller is to arm the episode's cap timer: someone waits and none is armed */
    synchronized boolean claimCapTimer() {
        if (capTimerArmed || waiting == null) {
            return false;
        }
        capTimerArmed = true;
        return true;
    }

    synchronized void capTimerFired() {
        capTimerArmed = false;
    }

    void wakeAll(Subscriber drained) {
        List<DrainWaiter> woken;
        synchronized (this) {
            woken = waiting;
            waiting = null;
            any = false;
        }
        if (woken != null) {
            for (DrainWaiter waiter : woken) {
                waiter.loop().execute(() -> waiter.drained(drained));
            }
        }
    }
}
