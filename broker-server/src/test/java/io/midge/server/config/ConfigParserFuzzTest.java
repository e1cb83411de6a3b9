package io.midge.server.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of the mosquitto.conf parser: any file is either a validated
 * configuration or a {@link ConfigException} naming file and line; nothing else escapes. Seeds
 * are real configuration files ({@code ConfigParserFuzzTestInputs}); {@code JAZZER_FUZZ=1}
 * fuzzes, see docs/fuzzing.md.
 */
class ConfigParserFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] text) throws IOException {
        Path file = dir.resolve("mosquitto.conf");
        Files.write(file, text);
        try {
            ConfigParser.parse(file, dir);
        } catch (ConfigException refused) {
            // The broker prints it and exits with status 3, as mosquitto does.
        }
    }

}
