package io.midge.server.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code log_dest file}: appends to the file as mosquitto's fopen(file, "a") does, so a missing
 * directory is an error rather than created, and can reopen it after logrotate moved it away.
 */
final class LogFileAppender extends OutputStreamAppender<ILoggingEvent> {

    private final Path file;

    LogFileAppender(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Opens the file (again), closing the stream written so far. */
    void open() throws IOException {
        setOutputStream(new FileOutputStream(file.toFile(), true));
    }
}
