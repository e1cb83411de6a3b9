package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JVM options of the {@code ./midge} launcher, read from it, so tests run the broker as users do. */
final class LauncherOptions {

    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).resolve("../midge").normalize();

    static final String DEFAULT = read();

    private LauncherOptions() {}

    private static String read() {
        try {
            Matcher line = Pattern.compile("(?m)^default_opts=\"([^\"]*)\"$").matcher(Files.readString(LAUNCHER));
            if (!line.find()) {
                throw new IllegalStateException(LAUNCHER + " has no default_opts line");
            }
            return line.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
