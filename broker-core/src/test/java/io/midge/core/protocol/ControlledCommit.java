package io.midge.core.protocol;

import io.midge.core.store.Commit;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;

/** A commit the test completes when it chooses, as a store's fsync would. */
final class ControlledCommit implements Commit {

    private boolean done;
    private final List<Runnable> waiting = new ArrayList<>();

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public void whenDone(EventExecutor loop, Runnable action) {
        if (done) {
            Commit.DONE.whenDone(loop, action);
        } else {
            waiting.add(() -> loop.execute(action));
        }
    }

    void complete() {
        done = true;
        waiting.forEach(Runnable::run);
        waiting.clear();
    }
}
