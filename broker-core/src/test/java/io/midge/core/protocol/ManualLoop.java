package io.midge.core.protocol;

import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/** An event loop whose tasks run only when the test says so; it counts as 'in' the loop only then. */
final class ManualLoop extends AbstractEventExecutor {

    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    void runPending() {
        running = true;
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        } finally {
            running = false;
        }
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public boolean inEventLoop(Thread thread) {
        return running;
    }

    @Override
    public boolean isShuttingDown() { return false; }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) { return terminationFuture(); }

    @Override
    public Future<?> terminationFuture() { return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null); }

    @Override
    @Deprecated
    public void shutdown() { }

    @Override
    public boolean isShutdown() { return false; }

    @Override
    public boolean isTerminated() { return false; }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) { return false; }
}
