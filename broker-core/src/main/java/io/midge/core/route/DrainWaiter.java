package io.midge.core.route;

import io.netty.util.concurrent.EventExecutor;

/** A publisher waiting for a congested {@link Subscriber} to catch up. */
public interface DrainWaiter {

    /** The loop {@link #drained} runs on. */
    EventExecutor loop();

    /** The subscriber waited for is no longer congested; called on {@link #loop()}. */
    void drained(Subscriber subscriber);
}
