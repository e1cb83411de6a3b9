package io.midge.core.auth;

import static io.midge.core.auth.MosquittoFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordFileEditorTest {

    private static final PasswordHash NEW_HASH = PasswordHash.create(utf8("new"));
    private static final List<String> FILE = List.of(
            "# managed by hand",
            MosquittoFixtures.ALICE_SECRET,
            "",
            "  " + MosquittoFixtures.CAROL_SHA512_SECRET + "  ");

    @Test
    void updatesTheUsersLineInPlaceAndLeavesOthersByteForByte() {
        PasswordFileEditor editor = PasswordFileEditor.of(FILE);
        editor.setPassword("carol", NEW_HASH);
        assertEquals(List.of(FILE.get(0), FILE.get(1), FILE.get(2), "carol:" + NEW_HASH.encoded()), editor.lines());
    }

    @Test
    void addsAnUnknownUserAtTheEnd() {
        PasswordFileEditor editor = PasswordFileEditor.of(FILE);
        editor.setPassword("dave", NEW_HASH);
        assertEquals(5, editor.lines().size());
        assertEquals(FILE, editor.lines().subList(0, 4));
        assertEquals("dave:" + NEW_HASH.encoded(), editor.lines().get(4));
    }

    @Test
    void updatesEveryLineOfADuplicatedUserAsMosquittoPasswdDoes() {
        PasswordFileEditor editor = PasswordFileEditor.of(List.of("a:$7$x", "b:$7$y", "a:$7$z"));
        editor.setPassword("a", NEW_HASH);
        assertEquals(List.of("a:" + NEW_HASH.encoded(), "b:$7$y", "a:" + NEW_HASH.encoded()), editor.lines());
    }

    @Test
    void deletesAUser() {
        PasswordFileEditor editor = PasswordFileEditor.of(FILE);
        assertTrue(editor.delete("alice"));
        assertEquals(List.of(FILE.get(0), FILE.get(2), FILE.get(3)), editor.lines());
        assertFalse(editor.delete("alice"));
        assertFalse(editor.delete("nobody"));
    }

    @Test
    void hashesPlainTextPasswordsAndKeepsExistingHashes() {
        PasswordFileEditor editor = PasswordFileEditor.of(List.of(
                "# plain", "dave:plain pass", MosquittoFixtures.ALICE_SECRET, " eve : pw:with:colons "));

        assertEquals(2, editor.hashPlainTextPasswords());

        List<String> lines = editor.lines();
        assertEquals("# plain", lines.get(0));
        assertEquals(MosquittoFixtures.ALICE_SECRET, lines.get(2));
        assertTrue(MosquittoFixtures.hashOf(lines.get(1)).verify(utf8("plain pass")));
        // mosquitto_passwd -U takes the text up to the next colon as the password
        assertTrue(MosquittoFixtures.hashOf(MosquittoFixtures.EVE_UPGRADED).verify(utf8("pw")));
        assertTrue(lines.get(3).startsWith("eve:$7$101$"));
        assertTrue(MosquittoFixtures.hashOf(lines.get(3)).verify(utf8("pw")));
    }

    @Test
    void refusesACorruptFileNamingTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PasswordFileEditor.of(List.of(MosquittoFixtures.ALICE_SECRET, "garbage")));
        assertEquals("line 2: expected 'username:password hash'", e.getMessage());
    }

    @Test
    void startsEmpty() {
        PasswordFileEditor editor = PasswordFileEditor.empty();
        editor.setPassword("alice", NEW_HASH);
        assertEquals(List.of("alice:" + NEW_HASH.encoded()), editor.lines());
    }
}
