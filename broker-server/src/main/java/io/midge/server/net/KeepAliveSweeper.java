package io.midge.server.net;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections whose client sent nothing for 1.5 times its keep alive. One sweeper per
 * event loop checks all of that loop's connections four times a second, instead of a timer and
 * a pipeline handler per connection: with tens of thousands of idle clients that is most of what
 * an idle connection would otherwise cost.
 */
final class KeepAliveSweeper {

    /** Something the sweeper watches; all calls on its event loop. */
    interface Watched {
        /** When the client was last heard from, in System.nanoTime(). */
        long lastHeardNanos();

        long keepAliveTimeoutNanos();

        void keepAliveExpired();

        /** The slot the sweeper keeps it in, for removal in constant time; -1 when not watched. */
        int sweeperSlot();

        void sweeperSlot(int slot);
    }

    private static final long SWEEP_INTERVAL_MILLIS = 250;
    private static final FastThreadLocal<KeepAliveSweeper> PER_LOOP = new FastThreadLocal<>();

    private final EventExecutor loop;
    private Watched[] watched = new Watched[16];
    private int count;
    private boolean scheduled;

    private KeepAliveSweeper(EventExecutor loop) {
        this.loop = loop;
    }

    /** The sweeper of the calling event loop. */
    static KeepAliveSweeper of(EventExecutor loop) {
        KeepAliveSweeper sweeper = PER_LOOP.get();
        if (sweeper == null) {
            sweeper = new KeepAliveSweeper(loop);
            PER_LOOP.set(sweeper);
        }
        return sweeper;
    }

    void watch(Watched connection) {
        if (count == watched.length) {
            watched = Arrays.copyOf(watched, count * 2);
        }
        connection.sweeperSlot(count);
        watched[count++] = connection;
        if (!scheduled) {
            scheduled = true;
            loop.schedule(this::sweep, SWEEP_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    void unwatch(Watched connection) {
        int slot = connection.sweeperSlot();
        if (slot < 0) {
            return;
        }
        Watched last = watched[--count];
        watched[slot] = last;
        last.sweeperSlot(slot);
        watched[count] = null;
        connection.sweeperSlot(-1);
    }

    private void sweep() {
        long now = System.nanoTime();
        // Backwards, because an expired connection leaves its slot to the last one.
        for (int i = count - 1; i >= 0; i--) {
            Watched connection = watched[i];
            if (now - connection.lastHeardNanos() > connection.keepAliveTimeoutNanos()) {
                unwatch(connection);
                connection.keepAliveExpired();
            }
        }
        if (count > 0) {
            loop.schedule(this::sweep, SWEEP_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            scheduled = false;
            if (watched.length > 1024) {
                watched = new Watched[16]; // give back what a crowd of clients needed
            }
        }
    }
}
