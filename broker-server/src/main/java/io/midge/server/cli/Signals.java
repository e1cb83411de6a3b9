package io.midge.server.cli;

import sun.misc.Signal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * SIGTERM, SIGINT and SIGHUP, queued for the main thread, which acts on them once the broker is
 * up, as mosquitto's main loop does with its signal flags. Installed before anything is opened:
 * the JVM's own handling would end it with 143, 130 or 129, which supervisors read as a crash,
 * even for a signal that arrives while the listeners are still being opened.
 */
final class Signals {

    enum Event {
        /** SIGTERM or SIGINT: stop with exit code 0. */
        TERMINATE,
        /** SIGHUP: reload. */
        RELOAD
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private Signals() {}

    static Signals install() {
        Signals signals = new Signals();
        signals.on("TERM", Event.TERMINATE);
        signals.on("INT", Event.TERMINATE);
        signals.on("HUP", Event.RELOAD);
        return signals;
    }

    /** The next signal, waiting for one. */
    Event next() throws InterruptedException {
        return events.take();
    }

    /** Queues {@code event} as if its signal had arrived (the training run stops itself so). */
    void raise(Event event) {
        events.add(event);
    }

    private void on(String name, Event event) {
        Signal.handle(new Signal(name), signal -> events.add(event));
    }
}
