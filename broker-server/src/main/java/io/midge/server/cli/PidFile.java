package io.midge.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** pid_file: mosquitto writes it only when running with -d, and removes it when it stops. */
final class PidFile implements AutoCloseable {

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    /** Writes this process's id, without a newline, as mosquitto does. */
    static PidFile write(Path path) throws IOException {
        Files.writeString(path, Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
        return new PidFile(path);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a pid file that outlives the broker names a process that is gone; nothing more to do
        }
    }
}
