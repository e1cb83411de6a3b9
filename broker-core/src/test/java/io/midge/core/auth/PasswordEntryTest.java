package io.midge.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordEntryTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t", "# comment", "  # indented comment", "#alice:secret"})
    void blankAndCommentLinesHoldNoEntry(String line) {
        assertEquals(Optional.empty(), PasswordEntry.parse(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice:$7$x|              alice|  $7$x",
            "  alice  :  $7$x  \r|    alice|  $7$x",
            "alice\t:\t$7$x|          alice|  $7$x",
            "al ice:$7$x|             al ice| $7$x",
            // strtok: runs of colons are one separator, a third field is ignored
            "alice::$7$x|             alice|  $7$x",
            "alice:$7$x:ignored|      alice|  $7$x",
    })
    void splitsLikeMosquitto(String line, String username, String secret) {
        assertEquals(Optional.of(new PasswordEntry(username, secret)), PasswordEntry.parse(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice|          expected 'username:password hash'",
            ":$7$x|          missing username before ':'",
            "  :$7$x|        missing username before ':'",
            "alice:|         nothing after ':' for user 'alice'",
            "alice:   |      nothing after ':' for user 'alice'",
    })
    void rejectsLinesThatAreNoEntry(String line, String reason) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> PasswordEntry.parse(line)).getMessage());
    }

    @Test
    void formatsAsMosquittoPasswdWrites() {
        PasswordHash hash = MosquittoFixtures.hashOf(MosquittoFixtures.ALICE_SECRET);
        assertEquals(MosquittoFixtures.ALICE_SECRET, PasswordEntry.format("alice", hash));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a:b|     Username must not contain the ':' character.",
            "a\tb|    Username must not contain control characters.",
            "a\u0000b|Username must not contain control characters.",
    })
    void refusesUsernamesMosquittoPasswdRefuses(String username, String reason) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> PasswordEntry.checkUsername(username)).getMessage());
    }

    @Test
    void acceptsOrdinaryAndLongUsernames() {
        PasswordEntry.checkUsername("alice");
        PasswordEntry.checkUsername("user with spaces \u00e9");
        PasswordEntry.checkUsername("a".repeat(PasswordEntry.MAX_LENGTH));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PasswordEntry.checkUsername("a".repeat(PasswordEntry.MAX_LENGTH + 1))).getMessage().contains("65536"));
    }
}
