package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The launchers' JVM options, read from {@code conf/jvm.options} (the file they all pass to
 * {@code java @FILE}), so tests run the broker as users do.
 */
final class LauncherOptions {

    static final Path FILE = Path.of(System.getProperty("user.dir")).resolve("../conf/jvm.options").normalize();

    static final String DEFAULT = read();

    private LauncherOptions() {}

    private static String read() {
        try {
            return Files.readAllLines(FILE).stream()
                    .map(line -> line.replaceFirst("#.*", "").trim())
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.joining(" "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
