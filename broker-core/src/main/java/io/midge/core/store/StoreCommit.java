package io.midge.core.store;

import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;

/** A commit of the durable store: done by its writer thread once the batch holding it is synced. */
final class StoreCommit implements Commit {

    private record Waiter(EventExecutor loop, Runnable action) {}

    private volatile boolean done;
    /** Guarded by this; null once done. */
    private List<Waiter> waiters = new ArrayList<>(2);

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public void whenDone(EventExecutor loop, Runnable action) {
        if (!done) {
            synchronized (this) {
                if (waiters != null) {
                    waiters.add(new Waiter(loop, action));
                    return;
                }
            }
        }
        DONE.whenDone(loop, action);
    }

    /** Called by the writer once everything before this commit is durable. */
    void complete() {
        List<Waiter> toRun;
        synchronized (this) {
            done = true;
            toRun = waiters;
            waiters = null;
        }
        for (Waiter waiter : toRun) {
            waiter.loop.execute(waiter.action);
        }
    }
}
