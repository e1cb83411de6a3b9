package io.midge.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.midge.server.config.BrokerConfig;
import io.midge.server.config.LogDest;
import io.midge.server.config.LogType;
import org.slf4j.LoggerFactory;

import java.util.Set;

/** Points Logback at the destinations and levels of log_dest, log_type and log_timestamp*. */
public final class LoggingSetup {

    private LoggingSetup() {}

    public static void apply(BrokerConfig config, boolean verbose) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.DEBUG : levelFor(config.logTypes()));
        // Netty's own chatter is for its developers, not a broker's operator.
        context.getLogger("io.netty").setLevel(Level.WARN);
        for (LogDest dest : config.logDests()) {
            OutputStreamAppender<ILoggingEvent> appender = appenderFor(dest);
            if (appender == null) {
                continue;
            }
            MosquittoStyleLayout layout = new MosquittoStyleLayout(config.logTimestamp(),
                    config.logTimestampFormatter().orElse(null));
            layout.setContext(context);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setContext(context);
            encoder.setLayout(layout);
            encoder.start();
            appender.setContext(context);
            appender.setEncoder(encoder);
            appender.start();
            root.addAppender(appender);
        }
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

    private static OutputStreamAppender<ILoggingEvent> appenderFor(LogDest dest) {
        switch (dest.kind()) {
            case STDOUT, STDERR -> {
                ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
                console.setTarget(dest.kind() == LogDest.Kind.STDOUT ? "System.out" : "System.err");
                return console;
            }
            case FILE -> {
                FileAppender<ILoggingEvent> file = new FileAppender<>();
                file.setFile(dest.file().orElseThrow().toString());
                file.setAppend(true);
                return file;
            }
            default -> {
                return null; // syslog, topic and the rest are accepted by the parser with a warning
            }
        }
    }
}
