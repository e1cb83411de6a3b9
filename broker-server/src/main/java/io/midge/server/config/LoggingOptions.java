package io.midge.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code log_*} options. */
final class LoggingOptions {

    private static final String NONE = "none";
    private static final String ALL = "all";
    private static final String FILE = "file";
    private static final List<String> LOG_TYPE_WORDS = logTypeWords();
    private static final List<String> LOG_DEST_WORDS =
            List.of("stdout", "stderr", FILE, "syslog", "topic", "dlt", NONE);

    private LoggingOptions() {
    }

    static void register(OptionTable table) {
        table.logging("log_type", "a kind of log line to show: error, warning, notice, information, subscribe,"
                + " unsubscribe, websockets, debug, all or none; repeatable", LoggingOptions::logType);
        table.logging("log_dest", "where log lines go: stdout, stderr, file PATH, syslog (/dev/log), topic, dlt or"
                + " none; repeatable", "topic publishes each line on $SYS/broker/log/...; dlt is refused (a start-up error)", LoggingOptions::logDest);
        table.logging("log_timestamp", "prefix log lines with the time", (l, d) -> l.timestamp = d.bool());
        table.logging("log_timestamp_format", "strftime format of that time; default seconds since the epoch",
                LoggingOptions::timestampFormat);
        table.logging("log_facility", "syslog facility local0..local7 (0..7) instead of daemon",
                (l, d) -> l.facility = d.intInRange(0, 7));
    }

    private static void logType(LogSettingsBuilder logging, Directive directive) throws ConfigException {
        String word = directive.choice(LOG_TYPE_WORDS);
        switch (word) {
            case NONE -> logging.clearTypes();
            case ALL -> logging.addAllTypes();
            default -> logging.addType(LogType.valueOf(word.toUpperCase(Locale.ROOT)));
        }
    }

    private static void logDest(LogSettingsBuilder logging, Directive directive) throws ConfigException {
        String kind = directive.words("one of " + String.join(", ", LOG_DEST_WORDS) + " (file needs a path)")
                .get(0);
        if (kind.equals(FILE)) {
            logFile(logging, directive);
            return;
        }
        directive.choice(LOG_DEST_WORDS);
        if (kind.equals(NONE)) {
            logging.clearDests();
            return;
        }
        LogDest.Kind dest = LogDest.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        if (dest == LogDest.Kind.DLT) {
            // A mosquitto built without WITH_DLT takes the line and logs nothing there; refusing says so.
            throw directive.error("log_dest dlt is not supported: Midge has no DLT (Diagnostic Log and Trace) support.");
        }
        logging.addDest(LogDest.of(dest));
    }

    private static void logFile(LogSettingsBuilder logging, Directive directive) throws ConfigException {
        // mosquitto allows a single log file only.
        if (logging.hasFileDest()) {
            throw directive.error("Duplicate \"log_dest file\" value.");
        }
        logging.addDest(LogDest.file(directive.afterFirstWord().path()));
    }

    private static void timestampFormat(LogSettingsBuilder logging, Directive directive) throws ConfigException {
        String format = directive.string();
        try {
            StrftimeFormat.toFormatter(format);
        } catch (IllegalArgumentException e) {
            throw directive.invalid("a strftime format; " + e.getMessage());
        }
        logging.timestampFormat = format;
    }

    private static List<String> logTypeWords() {
        List<String> words = new ArrayList<>();
        for (LogType type : LogType.values()) {
            words.add(type.name().toLowerCase(Locale.ROOT));
        }
        words.add(NONE);
        words.add(ALL);
        return List.copyOf(words);
    }
}
