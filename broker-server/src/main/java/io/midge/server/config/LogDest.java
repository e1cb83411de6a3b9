package io.midge.server.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One log destination ({@code log_dest} option).
 *
 * @param kind where log lines go
 * @param file the log file, present exactly when {@code kind} is {@link Kind#FILE}
 */
public record LogDest(Kind kind, Optional<Path> file) {

    /** The destinations mosquitto knows. */
    public enum Kind {
        STDOUT,
        STDERR,
        /** Append to {@link LogDest#file()}. */
        FILE,
        SYSLOG,
        /** Publish on {@code $SYS/broker/log/...}. */
        TOPIC,
        /** Diagnostic Log and Trace (automotive). */
        DLT
    }

    /** Validates that only {@link Kind#FILE} carries a file. */
    public LogDest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(file, "file");
        if ((kind == Kind.FILE) != file.isPresent()) {
            throw new IllegalArgumentException("a file is required for FILE and only for FILE");
        }
    }

    /** A destination that needs no file. */
    public static LogDest of(Kind kind) {
        return new LogDest(kind, Optional.empty());
    }

    /** A log file destination. */
    public static LogDest file(Path file) {
        return new LogDest(Kind.FILE, Optional.of(file));
    }
}
