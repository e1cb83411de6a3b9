package io.midge.core.auth;

import static io.midge.core.auth.MosquittoFixtures.utf8;
import static io.midge.core.auth.MosquittoFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryKindOfLineMosquittoReads() throws Exception {
        Path file = write(dir.resolve("pw"),
                "# accounts",
                "",
                MosquittoFixtures.ALICE_SECRET,
                "   ",
                MosquittoFixtures.CAROL_SHA512_SECRET + "\r",
                "  " + MosquittoFixtures.UNICODE.replace(":", "  :  ") + "  ");

        PasswordFile passwords = PasswordFile.load(file);

        assertEquals(Set.of("alice", "carol", "unicode"), passwords.usernames());
        assertTrue(passwords.hashOf("alice").orElseThrow().verify(utf8("secret")));
        assertTrue(passwords.hashOf("carol").orElseThrow().verify(utf8("secret")));
        assertTrue(passwords.hashOf("unicode").orElseThrow().verify(utf8(MosquittoFixtures.UNICODE_PASSWORD)));
        assertTrue(passwords.hashOf("bob").isEmpty());
    }

    @Test
    void laterLineOfTheSameUserWinsAsInMosquitto() throws Exception {
        String aliceEmpty = MosquittoFixtures.EMPTY.replace("empty:", "alice:");
        PasswordFile passwords = PasswordFile.load(write(dir.resolve("pw"), MosquittoFixtures.ALICE_SECRET, aliceEmpty));
        assertFalse(passwords.hashOf("alice").orElseThrow().verify(utf8("secret")));
        assertTrue(passwords.hashOf("alice").orElseThrow().verify(utf8("")));
    }

    @Test
    void badLinesNameFileAndLine() throws Exception {
        Path file = write(dir.resolve("pw"), "# ok", MosquittoFixtures.ALICE_SECRET, "bob:$5$abc$def");
        AuthFileException e = assertThrows(AuthFileException.class, () -> PasswordFile.load(file));
        assertEquals(file + ":3: unknown password hash type '$5$' (expected $6$ or $7$)", e.getMessage());
    }

    @Test
    void plainTextPasswordsAreRefusedWithAHint() throws Exception {
        Path file = write(dir.resolve("pw"), "alice:secret");
        AuthFileException e = assertThrows(AuthFileException.class, () -> PasswordFile.load(file));
        assertTrue(e.getMessage().startsWith(file + ":1: not a password hash"), e.getMessage());
        assertTrue(e.getMessage().contains("passwd -U"), e.getMessage());
    }

    @Test
    void lineWithoutColonIsAnError() throws Exception {
        Path file = write(dir.resolve("pw"), MosquittoFixtures.ALICE_SECRET, "", "bob");
        assertEquals(file + ":3: expected 'username:password hash'",
                assertThrows(AuthFileException.class, () -> PasswordFile.load(file)).getMessage());
    }

    @Test
    void missingFileIsAnError() {
        Path file = dir.resolve("absent");
        assertEquals(file + ": no such file",
                assertThrows(AuthFileException.class, () -> PasswordFile.load(file)).getMessage());
    }

    @Test
    void emptyFileHasNoUsers() throws Exception {
        assertTrue(PasswordFile.load(write(dir.resolve("pw"))).usernames().isEmpty());
    }

    /** Direction mosquitto to Midge, with the mosquitto_passwd installed here (skipped if none). */
    @Test
    void readsWhatMosquittoPasswdWritesNow() throws Exception {
        Path file = dir.resolve("pw");
        MosquittoFixtures.mosquittoPasswd("-c", "-b", file.toString(), "alice", "secret");
        // ASCII only: how Java passes other characters to a process depends on the locale
        MosquittoFixtures.mosquittoPasswd("-b", file.toString(), "bob", "p@ss w$rd:x");
        MosquittoFixtures.mosquittoPasswd("-H", "sha512", "-b", file.toString(), "carol", "old style");
        MosquittoFixtures.mosquittoPasswd("-b", file.toString(), "alice", "changed");

        PasswordFile passwords = PasswordFile.load(file);

        assertTrue(passwords.hashOf("alice").orElseThrow().verify(utf8("changed")));
        assertFalse(passwords.hashOf("alice").orElseThrow().verify(utf8("secret")));
        assertTrue(passwords.hashOf("bob").orElseThrow().verify(utf8("p@ss w$rd:x")));
        assertTrue(passwords.hashOf("carol").orElseThrow().verify(utf8("old style")));
        assertTrue(Files.readString(file).contains("carol:$6$"));
    }
}
