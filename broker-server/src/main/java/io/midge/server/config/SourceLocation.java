package io.midge.server.config;

import java.nio.file.Path;
import java.util.Objects;

/** A line of a configuration file, printed as {@code FILE:LINE} in messages. */
record SourceLocation(Path file, int line) {

    SourceLocation {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
