package io.midge.core.auth;

import java.nio.file.Path;

/**
 * The parsed contents of one file, replaced as a whole on reload. Readers take the current
 * snapshot without locking; a reload publishes a complete new one or, if parsing fails, none.
 */
final class FileSnapshot<T> implements Reloadable {

    @FunctionalInterface
    interface Parser<T> {
        T load(Path file) throws AuthFileException;
    }

    private final Path file;
    private final Parser<T> parser;
    private volatile T current;

    FileSnapshot(Path file, Parser<T> parser) throws AuthFileException {
        this.file = file;
        this.parser = parser;
        this.current = parser.load(file);
    }

    T current() {
        return current;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public synchronized void reload() throws AuthFileException {
        current = parser.load(file);
    }
}
