package io.midge.server.config;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the tests that write configuration files: a fresh directory and a fixture per test. */
abstract class ConfigFileTest {

    @TempDir
    Path dir;

    ConfigFixture files;

    @BeforeEach
    void createFixture() {
        files = new ConfigFixture(dir);
    }
}
