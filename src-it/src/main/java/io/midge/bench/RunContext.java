package io.midge.bench;

import io.netty.channel.EventLoop;

import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** What every connection of one run shares: settings, the measured window, per-loop state, errors. */
final class RunContext {

    final int qos;
    /** First and last (exclusive) {@link System#nanoTime()} of the measured window; unset until start. */
    volatile long measureStart = Long.MAX_VALUE;
    volatile long measureEnd = Long.MAX_VALUE;
    /** Set before connections are closed on purpose, so their closing is not reported. */
    volatile boolean closing;
    final Queue<String> errors = new ConcurrentLinkedQueue<>();

    private final ConcurrentHashMap<EventLoop, LoopState> loops = new ConcurrentHashMap<>();

    /** Subscribers connect with clean session 0. */
    final boolean persistentSubscribers;

    RunContext(int qos) {
        this(qos, false);
    }

    /** Clients connect with protocol level 5 and speak the MQTT 5 packet layout. */
    final boolean mqtt5;

    RunContext(int qos, boolean persistentSubscribers) {
        this(qos, persistentSubscribers, false);
    }

    RunContext(int qos, boolean persistentSubscribers, boolean mqtt5) {
        this.qos = qos;
        this.persistentSubscribers = persistentSubscribers;
        this.mqtt5 = mqtt5;
    }

    LoopState loop(EventLoop loop) {
        return loops.computeIfAbsent(loop, LoopState::new);
    }

    Collection<LoopState> loops() {
        return loops.values();
    }

    void error(String message) {
        if (errors.size() < 100) {
            errors.add(message);
        }
    }
}
