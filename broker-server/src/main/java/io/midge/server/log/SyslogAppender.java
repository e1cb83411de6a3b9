package io.midge.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code log_dest syslog}: what syslog(3) sends after mosquitto's openlog(ident, LOG_PID,
 * facility), {@code <PRI>Mmm dd hh:mm:ss midge[PID]: } followed by the log line as the other
 * destinations show it.
 */
final class SyslogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** LOG_DAEMON, mosquitto's facility unless log_facility picks local0..local7 (16..23). */
    static final int DAEMON_FACILITY = 3;
    private static final int LOCAL0_FACILITY = 16;
    private static final DateTimeFormatter RFC3164_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.US);

    private final DevLog devLog;
    private final int facility;
    private final Layout<ILoggingEvent> layout;
    private final String tag = "midge[" + ProcessHandle.current().pid() + "]: ";

    SyslogAppender(DevLog devLog, int facility, Layout<ILoggingEvent> layout) {
        this.devLog = devLog;
        this.facility = facility;
        this.layout = layout;
    }

    /** log_facility N is LOG_LOCALN. */
    static int localFacility(int logFacility) {
        return LOCAL0_FACILITY + logFacility;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = layout.doLayout(event).stripTrailing();
        String datagram = "<" + (facility * 8 + severity(event.getLevel())) + ">"
                + RFC3164_TIME.format(LocalDateTime.now()) + " " + tag + line;
        devLog.send(datagram.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void stop() {
        super.stop();
        devLog.close();
    }

    /** syslog severities: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG. */
    private static int severity(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return 3;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return 4;
        }
        return level.isGreaterOrEqual(Level.INFO) ? 6 : 7;
    }
}
