package io.midge.core.session;

import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An MQTT 5 will waiting out its will delay interval. It is published once: when the delay is
 * over, or at once when the session ends first; a reconnect to the session cancels it. The timer
 * may run on a loop that no longer owns the session, so the outcome is decided by one atomic flag.
 */
final class DelayedWill {

    private final Runnable publish;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile Future<?> timer;

    DelayedWill(Runnable publish) {
        this.publish = publish;
    }

    void schedule(EventExecutor loop, long delayMillis) {
        timer = loop.schedule(this::fireNow, delayMillis, TimeUnit.MILLISECONDS);
    }

    void fireNow() {
        if (settled.compareAndSet(false, true)) {
            cancelTimer();
            publish.run();
        }
    }

    void cancel() {
        if (settled.compareAndSet(false, true)) {
            cancelTimer();
        }
    }

    private void cancelTimer() {
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
