package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes configuration files into a temporary directory, which also serves as working directory. */
final class ConfigFixture {

    static final String MAIN = "mosquitto.conf";

    private final Path dir;

    ConfigFixture(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Writes the lines, each terminated by a newline, to {@code name} under the directory. */
    Path write(String name, String... lines) {
        return writeRaw(name, String.join("\n", lines) + "\n");
    }

    Path writeRaw(String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a main file holding the lines. */
    BrokerConfig parse(String... lines) throws ConfigException {
        return ConfigParser.parse(write(MAIN, lines), dir);
    }

    BrokerConfig parseRaw(String content) throws ConfigException {
        return ConfigParser.parse(writeRaw(MAIN, content), dir);
    }

    /** Parses a main file holding the lines and returns the error it must cause. */
    ConfigException fail(String... lines) {
        Path file = write(MAIN, lines);
        return assertThrows(ConfigException.class, () -> ConfigParser.parse(file, dir));
    }

    /** {@code FILE:LINE: } of the main file, the prefix every error about that line starts with. */
    String at(int line) {
        return at(MAIN, line);
    }

    String at(String name, int line) {
        return dir.resolve(name) + ":" + line + ": ";
    }
}
