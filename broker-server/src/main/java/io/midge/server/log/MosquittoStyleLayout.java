package io.midge.server.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Log lines as mosquitto writes them: {@code 1700000000: message}, the timestamp being Unix
 * seconds unless log_timestamp_format gives a pattern, or absent when log_timestamp is false.
 */
final class MosquittoStyleLayout extends LayoutBase<ILoggingEvent> {

    private final boolean timestamp;
    private final DateTimeFormatter format;

    MosquittoStyleLayout(boolean timestamp, DateTimeFormatter format) {
        this.timestamp = timestamp;
        this.format = format == null ? null : format.withZone(ZoneId.systemDefault());
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        if (timestamp) {
            if (format == null) {
                line.append(event.getTimeStamp() / 1000);
            } else {
                line.append(format.format(Instant.ofEpochMilli(event.getTimeStamp())));
            }
            line.append(": ");
        }
        line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }
}
