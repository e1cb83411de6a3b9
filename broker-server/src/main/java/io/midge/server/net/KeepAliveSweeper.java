package io.midge.server.net;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections whose client sent nothing for 1.5 times its keep alive. One sweeper per
 * event loop checks all of that loop's connections four times a second, instead of a timer and
 * a pipeline handler per connection: with tens of thousands of idle clients that is most of what
 * an idle connection would otherwise cost.
 *
 * <p>It holds every open client connection of its loop (those without keep alive with
 * {@link #NO_TIMEOUT}), so shutdown closes them from here ({@link #closeAll}) rather than from a
 * channel group, whose map entry each connection would pay for.
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

        /** Closes the connection as the broker shuts down. */
        Future<?> closeForShutdown();
    }

    /** The timeout of a connection that has none (keep alive 0): watched only to be closed at shutdown. */
    static final long NO_TIMEOUT = Long.MAX_VALUE;
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

    /** Closes every connection watched; call on this sweeper's loop. @return their closings */
    List<Future<?>> closeAll() {
        // Closing unwatches, which moves connections between slots: work from a copy.
        Watched[] all = Arrays.copyOf(watched, count);
        List<Future<?>> closing = new ArrayList<>(all.length);
        for (Watched connection : all) {
            closing.add(connection.closeForShutdown());
        }
        return closing;
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
