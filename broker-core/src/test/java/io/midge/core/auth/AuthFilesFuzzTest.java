package io.midge.core.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the password and ACL file parsers, as the broker reads them at start
 * and on reload: any text is either loaded or refused with an {@link AuthFileException} naming
 * the file; nothing else escapes, and a loaded ACL answers any client, user and topic without
 * failing. Seeds: {@code AuthFilesFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (docs/fuzzing.md).
 */
class AuthFilesFuzzTest {

    private static final Path DIR = tempDirectory();

    @FuzzTest(maxDuration = "30s")
    void passwordFile(byte[] text) throws IOException {
        Path file = DIR.resolve("passwd");
        Files.write(file, text);
        try {
            PasswordFile.load(file);
        } catch (AuthFileException refused) {
            // A bad line is the user's to fix; the broker says so and does not start.
        }
    }

    @FuzzTest(maxDuration = "30s")
    void aclFile(FuzzedDataProvider data) throws IOException {
        String clientId = data.consumeString(32);
        String username = data.consumeBoolean() ? null : data.consumeString(32);
        String topic = data.consumeString(128);
        Path file = DIR.resolve("acl");
        Files.write(file, data.consumeRemainingAsBytes());
        AclFile acl;
        try {
            acl = AclFile.load(file);
        } catch (AuthFileException refused) {
            return;
        }
        acl.canRead(clientId, username, topic);
        acl.canWrite(clientId, username, topic);
    }

    private static Path tempDirectory() {
        try {
            Path dir = Files.createTempDirectory("midge-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
