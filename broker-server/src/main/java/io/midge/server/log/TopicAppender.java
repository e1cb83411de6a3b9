package io.midge.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.midge.core.message.Message;
import io.midge.core.route.Router;

import java.nio.charset.StandardCharsets;

/**
 * {@code log_dest topic}, as mosquitto's: each line (with its timestamp, as the other destinations
 * show it) is published through the router, QoS 2, not retained, on {@code $SYS/broker/log/E},
 * {@code W}, {@code N}, {@code I}, {@code M/subscribe} or {@code M/unsubscribe}; debug lines are
 * not published. Lines logged while a line is being published (on this appender's own writer
 * thread) are not published again, so a log line can never feed itself.
 */
final class TopicAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final Layout<ILoggingEvent> layout;
    private volatile Router router;
    private volatile String publishingThread;

    TopicAppender(Layout<ILoggingEvent> layout) {
        this.layout = layout;
    }

    /** Lines are published from now on; before, there is no broker to publish them. */
    void publishTo(Router router, String publishingThread) {
        this.publishingThread = publishingThread;
        this.router = router;
    }

    @Override
    protected void append(ILoggingEvent event) {
        Router target = router;
        if (target == null || !event.getLevel().isGreaterOrEqual(Level.INFO)
                || event.getThreadName().equals(publishingThread)) {
            return;
        }
        byte[] line = layout.doLayout(event).stripTrailing().getBytes(StandardCharsets.UTF_8);
        target.publish(new Message(topic(event), line, 2, false));
    }

    static String topic(ILoggingEvent event) {
        Level level = event.getLevel();
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return "$SYS/broker/log/E";
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return "$SYS/broker/log/W";
        }
        if (level.isGreaterOrEqual(Level.INFO)) {
            switch (event.getLoggerName()) {
                case "midge.subscribe" -> {
                    return "$SYS/broker/log/M/subscribe";
                }
                case "midge.unsubscribe" -> {
                    return "$SYS/broker/log/M/unsubscribe";
                }
                default -> {
                    boolean information = event.getMarkerList() != null
                            && event.getMarkerList().contains(LogMarkers.INFORMATION);
                    return information ? "$SYS/broker/log/I" : "$SYS/broker/log/N";
                }
            }
        }
        return "$SYS/broker/log/D";
    }
}
