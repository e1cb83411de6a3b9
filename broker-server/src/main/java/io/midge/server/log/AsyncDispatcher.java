package io.midge.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands log lines to one writer thread, which passes them, in order, to the real destinations, so
 * that a slow disk, a blocked pipe or syslog never stalls an event loop. mosquitto writes every
 * line; a broker must not stop serving because its log cannot keep up: when {@link #CAPACITY}
 * lines are waiting, further lines are dropped and, once there is room, a warning says how many.
 */
final class AsyncDispatcher extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final int CAPACITY = 16_384;
    private static final long STOP_WAIT_MILLIS = 2_000;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final List<Appender<ILoggingEvent>> destinations;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;

    /** Queued to find out when everything before it is written. */
    private record Drain(CountDownLatch written) {}

    AsyncDispatcher(String name, List<Appender<ILoggingEvent>> destinations) {
        this.destinations = List.copyOf(destinations);
        setName(name);
        this.writer = new Thread(this::write, "log-" + name);
        writer.setDaemon(true);
    }

    /** The writer thread: what it logs itself (while publishing a line on a topic, say) can be told apart. */
    String writerThreadName() {
        return writer.getName();
    }

    @Override
    public void start() {
        super.start();
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // Fixes the message text and thread name now, on the logging thread.
        event.prepareForDeferredProcessing();
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Waits (a little) until every line logged so far is written. */
    void drain() {
        Drain drain = new Drain(new CountDownLatch(1));
        try {
            if (queue.offer(drain, STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                drain.written().await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        drain();
        super.stop();
        writer.interrupt();
        destinations.forEach(Appender::stop);
    }

    private void write() {
        try {
            while (true) {
                Object next = queue.take();
                if (next instanceof Drain drain) {
                    drain.written().countDown();
                    continue;
                }
                reportDropped();
                ILoggingEvent event = (ILoggingEvent) next;
                for (Appender<ILoggingEvent> destination : destinations) {
                    destination.doAppend(event);
                }
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    private void reportDropped() {
        long lost = dropped.getAndSet(0);
        if (lost == 0) {
            return;
        }
        LoggingEvent warning = new LoggingEvent(getClass().getName(),
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("midge"), Level.WARN,
                "Warning: " + lost + " log lines were dropped because the log destinations could not keep up.",
                null, null);
        for (Appender<ILoggingEvent> destination : destinations) {
            destination.doAppend(warning);
        }
    }
}
