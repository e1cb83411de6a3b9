package io.midge.core.store;

import io.netty.util.concurrent.EventExecutor;

/**
 * The moment something written to the store is safe: on disk (fsync) when persistence is on,
 * at once in memory. A PUBACK or PUBREC is sent only when the commit of what it acknowledges is
 * done, so the broker never acknowledges what a crash could still lose.
 *
 * <p>Commits complete in the order they were taken: once one is done, every commit taken before
 * it is done too. Acks that wait on them therefore keep the order the PUBLISHes arrived in.
 */
public interface Commit {

    /** Already safe: nothing was written, or persistence is off. */
    Commit DONE = new Commit() {
        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public void whenDone(EventExecutor loop, Runnable action) {
            if (loop.inEventLoop()) {
                action.run();
            } else {
                loop.execute(action);
            }
        }

        @Override
        public String toString() {
            return "Commit.DONE";
        }
    };

    boolean isDone();

    /**
     * Runs {@code action} on {@code loop} once done: inline if already done and called on that
     * loop, else as a task. A commit that fails (the disk is gone) never runs its actions; the
     * store logs the failure and the broker stops, since it can no longer keep its promise.
     */
    void whenDone(EventExecutor loop, Runnable action);
}
