package io.midge.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.midge.server.config.BrokerConfig;
import io.midge.server.config.LogDest;
import io.midge.server.config.LogType;
import io.midge.core.route.Router;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Points Logback at the destinations and levels of log_dest, log_type and log_timestamp*, with
 * mosquitto's fallbacks: a log file that cannot be opened leaves errors only, on stderr; and,
 * unlike mosquitto, warnings and errors go to stderr when no configured destination can show
 * them (syslog unreachable, or only topic, which cannot show start-up errors), so a broker is
 * never silenced by accident. {@code log_dest none} alone is taken at its word. Every destination
 * is written by a writer thread of its own ({@link AsyncDispatcher}), in order: stdout, stderr,
 * file and syslog share one, topic has another, so that publishing never delays the files.
 */
public final class LoggingSetup {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger("midge");

    private final LoggerContext context;
    private final BrokerConfig config;
    private final List<LogFileAppender> files = new ArrayList<>();
    private AsyncDispatcher written;
    private AsyncDispatcher published;
    private TopicAppender topic;

    private LoggingSetup(LoggerContext context, BrokerConfig config) {
        this.context = context;
        this.config = config;
    }

    /**
     * Logging before the configuration is read, as mosquitto's: stderr, Unix-time stamps, the
     * default log types. Command line and configuration errors and warnings are printed this way.
     */
    public static void bootstrap() {
        LoggerContext context = resetContext(Level.INFO);
        MosquittoStyleLayout layout = new MosquittoStyleLayout(true, null);
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(started(context, console(false), layout, null));
    }

    public static LoggingSetup apply(BrokerConfig config, boolean verbose) {
        LoggerContext context = resetContext(verbose ? Level.DEBUG : levelFor(config.logTypes()));
        // mosquitto's subscribe and unsubscribe lines are log types of their own, off by default.
        context.getLogger("midge.subscribe").setLevel(
                verbose || config.logTypes().contains(LogType.SUBSCRIBE) ? Level.INFO : Level.OFF);
        context.getLogger("midge.unsubscribe").setLevel(
                verbose || config.logTypes().contains(LogType.UNSUBSCRIBE) ? Level.INFO : Level.OFF);
        LoggingSetup setup = new LoggingSetup(context, config);
        setup.attachDestinations();
        return setup;
    }

    /**
     * SIGHUP: reopens log files, so that logrotate can move them away, as mosquitto does when it
     * reloads its configuration.
     */
    public void reopenFiles() {
        // What was logged before (such as "Reloading config.") still goes to the old file.
        drain();
        for (LogFileAppender file : files) {
            try {
                file.open();
            } catch (IOException e) {
                fallBackToErrorsOnStderr(file.file());
                return;
            }
        }
    }

    /** {@code log_dest topic}: from now on log lines are published through {@code router}. */
    public void publishOnTopics(Router router) {
        if (topic != null) {
            topic.publishTo(router, published.writerThreadName());
        }
    }

    /** Waits until every line logged so far is written (before -d lets go of the terminal, say). */
    public void drain() {
        if (written != null) {
            written.drain();
        }
    }

    /** At exit: writes what is still queued, so the last lines are not lost. */
    public static void flush() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }

    private void attachDestinations() {
        List<Appender<ILoggingEvent>> destinations = new ArrayList<>();
        boolean shown = false;
        for (LogDest dest : config.logDests()) {
            Optional<OutputStreamAppender<ILoggingEvent>> stream = streamFor(dest);
            if (stream.isPresent()) {
                destinations.add(started(context, stream.get(), layout(), null));
                shown = true;
            } else if (dest.kind() == LogDest.Kind.FILE) {
                fallBackToErrorsOnStderr(dest.file().orElseThrow());
                return;
            } else if (dest.kind() == LogDest.Kind.SYSLOG) {
                Optional<SyslogAppender> syslog = syslog();
                syslog.ifPresent(destinations::add);
                shown |= syslog.isPresent();
            } else if (dest.kind() == LogDest.Kind.TOPIC && topic == null) {
                topic = new TopicAppender(startedLayout());
                topic.setContext(context);
                topic.start();
            }
        }
        if (!shown && !config.logDests().isEmpty()) {
            destinations.add(started(context, console(false), layout(), Level.WARN));
        }
        written = dispatch(context, "written", destinations);
        if (topic != null) {
            published = dispatch(context, "published", List.of(topic));
        }
    }

    /** Attaches one writer thread for {@code destinations}; null when there are none. */
    private static AsyncDispatcher dispatch(LoggerContext context, String name, List<Appender<ILoggingEvent>> destinations) {
        if (destinations.isEmpty()) {
            return null;
        }
        AsyncDispatcher dispatcher = new AsyncDispatcher(name, destinations);
        dispatcher.setContext(context);
        dispatcher.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(dispatcher);
        return dispatcher;
    }

    /** stdout, stderr or an opened log file; empty for other kinds and for a file that cannot be opened. */
    private Optional<OutputStreamAppender<ILoggingEvent>> streamFor(LogDest dest) {
        switch (dest.kind()) {
            case STDOUT, STDERR -> {
                return Optional.of(console(dest.kind() == LogDest.Kind.STDOUT));
            }
            case FILE -> {
                LogFileAppender file = new LogFileAppender(dest.file().orElseThrow());
                try {
                    file.open();
                } catch (IOException e) {
                    return Optional.empty();
                }
                files.add(file);
                return Optional.of(file);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private Optional<SyslogAppender> syslog() {
        Optional<DevLog> devLog = DevLog.connect();
        if (devLog.isEmpty()) {
            return Optional.empty();
        }
        int facility = config.logFacility().isPresent()
                ? SyslogAppender.localFacility(config.logFacility().getAsInt())
                : SyslogAppender.DAEMON_FACILITY;
        SyslogAppender syslog = new SyslogAppender(devLog.get(), facility, startedLayout());
        syslog.setContext(context);
        syslog.start();
        return Optional.of(syslog);
    }

    /** mosquitto's reaction to a log file it cannot open: errors only, on stderr, and say so. */
    private void fallBackToErrorsOnStderr(Path file) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        files.clear();
        topic = null;
        published = null;
        root.setLevel(Level.ERROR);
        written = dispatch(context, "written", List.of(started(context, console(false), layout(), null)));
        log.error("Error: Unable to open log file {} for writing.", file);
    }

    private MosquittoStyleLayout layout() {
        return new MosquittoStyleLayout(config.logTimestamp(), config.logTimestampFormatter().orElse(null));
    }

    private MosquittoStyleLayout startedLayout() {
        MosquittoStyleLayout layout = layout();
        layout.setContext(context);
        layout.start();
        return layout;
    }

    private static LoggerContext resetContext(Level level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level);
        // Netty's own chatter is for its developers, not a broker's operator.
        context.getLogger("io.netty").setLevel(Level.WARN);
        // Warnings about finding no network interface (a container, a network namespace) concern
        // Netty's idea of "localhost", which Midge does not use; listeners report their own errors.
        context.getLogger("io.netty.util.NetUtilInitializations").setLevel(Level.ERROR);
        return context;
    }

    private static ConsoleAppender<ILoggingEvent> console(boolean stdout) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        // Logback writes to whatever System.out/err is at the time, which -d relies on.
        console.setTarget(stdout ? "System.out" : "System.err");
        return console;
    }

    /** @param threshold the least level this destination shows, or null for every level logged */
    private static Appender<ILoggingEvent> started(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender,
                                                   MosquittoStyleLayout layout, Level threshold) {
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        if (threshold != null) {
            ThresholdFilter filter = new ThresholdFilter();
            filter.setLevel(threshold.toString());
            filter.start();
            appender.addFilter(filter);
        }
        appender.start();
        return appender;
    }

    /** The most detailed level any configured log type asks for; mosquitto's notice and information are both INFO. */
    private static Level levelFor(Set<LogType> types) {
        if (types.contains(LogType.DEBUG)) {
            return Level.DEBUG;
        }
        if (types.contains(LogType.INFORMATION) || types.contains(LogType.NOTICE)
                || types.contains(LogType.SUBSCRIBE) || types.contains(LogType.UNSUBSCRIBE)) {
            return Level.INFO;
        }
        if (types.contains(LogType.WARNING)) {
            return Level.WARN;
        }
        if (types.contains(LogType.ERROR)) {
            return Level.ERROR;
        }
        return Level.OFF;
    }
}
