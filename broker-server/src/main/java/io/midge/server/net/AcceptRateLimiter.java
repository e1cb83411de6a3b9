package io.midge.server.net;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@code max_connection_rate_per_address}: how many connections one source address may open a
 * second, counted in one-second windows. The table of addresses is bounded, so that a flood from
 * many addresses cannot grow it: once full, windows that have ended are dropped (at most once a
 * second, so a full table costs no scan per connection), and an address that still finds no room
 * is let in uncounted; max_connections and the CONNECT timeout still hold it.
 */
final class AcceptRateLimiter {

    enum Verdict {
        ADMIT,
        /** The first refusal of the address in this window: worth a log line. */
        REFUSE_FIRST,
        REFUSE
    }

    static final int MAX_ADDRESSES = 65_536;

    private static final class Window {
        volatile long second = Long.MIN_VALUE;
        int count;
    }

    private final int perSecond;
    private final LongSupplier clockNanos;
    private final int maxAddresses;
    private final ConcurrentHashMap<InetAddress, Window> windows = new ConcurrentHashMap<>();
    private volatile long lastPruneSecond = Long.MIN_VALUE;

    AcceptRateLimiter(int perSecond) {
        this(perSecond, System::nanoTime, MAX_ADDRESSES);
    }

    AcceptRateLimiter(int perSecond, LongSupplier clockNanos, int maxAddresses) {
        this.perSecond = perSecond;
        this.clockNanos = clockNanos;
        this.maxAddresses = maxAddresses;
    }

    Verdict admit(InetAddress address) {
        long second = Math.floorDiv(clockNanos.getAsLong(), 1_000_000_000L);
        Window window = windows.get(address);
        if (window == null) {
            if (windows.size() >= maxAddresses && !pruned(second)) {
                return Verdict.ADMIT;
            }
            window = windows.computeIfAbsent(address, a -> new Window());
        }
        synchronized (window) {
            if (window.second != second) {
                window.second = second;
                window.count = 0;
            }
            window.count++;
            if (window.count <= perSecond) {
                return Verdict.ADMIT;
            }
            return window.count == perSecond + 1 ? Verdict.REFUSE_FIRST : Verdict.REFUSE;
        }
    }

    /** Drops the windows of past seconds, once a second at most; whether that made room. */
    private boolean pruned(long second) {
        if (lastPruneSecond != second) {
            lastPruneSecond = second;
            windows.values().removeIf(w -> w.second < second);
        }
        return windows.size() < maxAddresses;
    }

    int trackedAddresses() {
        return windows.size();
    }
}
