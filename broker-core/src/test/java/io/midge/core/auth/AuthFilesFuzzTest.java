package io.midge.core.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of the password and ACL file parsers, as the broker reads them at start
 * and on reload: any text is either loaded or refused with an {@link AuthFileException} naming
 * the file; nothing else escapes, and a loaded ACL answers any client, user and topic without
 * failing. Seeds: {@code AuthFilesFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (docs/fuzzing.md).
 */
class AuthFilesFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "30s")
    void passwordFile(byte[] text) throws IOException {
        Path file = dir.resolve("passwd");
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
        Path file = dir.resolve("acl");
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
}
