package io.midge.bench;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * State owned by one event loop thread: its connections, its latency histogram and, in paced
 * runs, the one fixed-rate timer that drives all its publishers. Only that thread touches it
 * (the lists are filled as channels register), except through tasks submitted to the loop.
 */
final class LoopState {

    /** Latencies above a minute are recorded as a minute. */
    static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(1);

    final EventLoop loop;
    final List<BenchClient> clients = new ArrayList<>();
    final List<BenchClient> publishers = new ArrayList<>();
    final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    private ScheduledFuture<?> pacer;

    LoopState(EventLoop loop) {
        this.loop = loop;
    }

    void recordLatency(long nanos) {
        latency.recordValue(Math.max(0, Math.min(nanos, MAX_LATENCY_NANOS)));
    }

    /** On the loop: starts its publishers, and the pacing timer when they are paced. */
    void start(long tickNanos) {
        for (BenchClient client : publishers) {
            client.startPublishing();
        }
        if (tickNanos > 0 && !publishers.isEmpty()) {
            pacer = loop.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        for (int i = 0, n = publishers.size(); i < n; i++) {
            publishers.get(i).pumpAndFlush();
        }
    }

    /** On the loop: no further messages. */
    void stop() {
        if (pacer != null) {
            pacer.cancel(false);
            pacer = null;
        }
        for (BenchClient client : publishers) {
            client.publisher.running = false;
        }
    }
}
