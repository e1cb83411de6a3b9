package io.midge.core.auth;

import static io.midge.core.auth.MosquittoFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AclFileTest {

    @TempDir
    Path dir;

    /**
     * An ACL file run through Debian's mosquitto 2.0.11: each row of {@link #agreesWithMosquitto}
     * is what that broker did when the client tried to receive a retained message on, or publish
     * to, the topic.
     */
    private AclFile mosquittoCase;

    @BeforeEach
    void loadMosquittoCase() throws Exception {
        mosquittoCase = acl(
                "# anonymous",
                "topic read anon/#",
                "topic deny anon/secret",
                "   topic    read    lead/ws   ",
                "topic read",
                "",
                "user u1",
                "topic read a/#",
                "topic deny a/secret",
                "topic write w/#",
                "topic readwrite sp ace/t",
                "topic sw/#",
                "",
                "user admin",
                "topic readwrite #",
                "",
                "user sp ace",
                "topic read spc/#",
                "",
                "pattern read p/%c/#",
                "pattern write q/%u/#",
                "pattern read pre%c",
                "pattern deny a/%u",
                "pattern deny p/%c/denied");
    }

    @ParameterizedTest(name = "{0} {1}/{2} {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // anonymous section, and patterns for anonymous clients
            "read|  -|      c1|  anon/x|           true",
            "read|  -|      c1|  anon/secret|      false",
            "read|  -|      c1|  lead/ws|          true",
            "read|  -|      c1|  read|             true",
            "read|  -|      c1|  p/c1/x|           true",
            "read|  -|      c1|  p/c1/denied|      false",
            "read|  -|      c1|  prec1|            true",
            "read|  -|      X|   preX|             true",
            "read|  -|      c1|  a/x|              false",
            "read|  -|      a/b| p/a/b/x|          true",
            "write| -|      c1|  anon/x|           false",
            "write| -|      c1|  read|             true",
            "write| -|      c9|  q/u2/x|           false",
            // a user section: deny first, then grants; its grants come before pattern denials
            "read|  u1|     c9|  a/x|              true",
            "read|  u1|     c9|  a/secret|         false",
            "read|  u1|     c9|  a/u1|             true",
            "read|  u1|     c9|  w/x|              false",
            "read|  u1|     c9|  sp ace/t|         true",
            "read|  u1|     c9|  sw/x|             true",
            "read|  u1|     c9|  anon/x|           false",
            "read|  u1|     c1|  p/c1/x|           true",
            "read|  u1|     c1|  p/c1/denied|      false",
            "write| u1|     c9|  w/x|              true",
            "write| u1|     c9|  a/x|              false",
            "write| u1|     c9|  sw/x|             true",
            "write| u1|     c9|  sp ace/t|         true",
            "write| u1|     c9|  q/u1/x|           true",
            // a user without a section gets the patterns only
            "read|  u2|     c1|  a/u2|             false",
            "read|  u2|     c1|  a/x|              false",
            "read|  u2|     c1|  p/c1/x|           true",
            "read|  u2|     c1|  anon/x|           false",
            "write| u2|     c9|  q/u2/x|           true",
            "write| u2|     c9|  q/u1/x|           false",
            // a user name with a space, and $SYS staying closed to '#'
            "read|  sp ace| c1|  spc/x|            true",
            "read|  admin|  c1|  $SYS/broker/version| false",
            "read|  admin|  c1|  anon/x|           true",
    })
    void agreesWithMosquitto(String operation, String username, String clientId, String topic, boolean allowed) {
        boolean actual = operation.equals("read")
                ? mosquittoCase.canRead(clientId, username, topic)
                : mosquittoCase.canWrite(clientId, username, topic);
        assertEquals(allowed, actual);
    }

    /** Every access word against both operations, for a topic rule, a user's rule and a pattern. */
    @ParameterizedTest(name = "{0} {1}: read {2}, write {3}")
    @CsvSource({
            "'',         t, true,  true",
            "read,       t, true,  false",
            "write,      t, false, true",
            "readwrite,  t, true,  true",
            "deny,       t, false, false",
    })
    void accessWordsGrantWhatTheySay(String access, String topic, boolean read, boolean write) throws Exception {
        String rule = (access.isEmpty() ? "" : access + " ");
        AclFile anonymous = acl("topic " + rule + "t");
        AclFile user = acl("user bob", "topic " + rule + "t");
        AclFile pattern = acl("pattern " + rule + "%c");

        assertEquals(read, anonymous.canRead("c", null, topic));
        assertEquals(write, anonymous.canWrite("c", null, topic));
        assertEquals(read, user.canRead("c", "bob", topic));
        assertEquals(write, user.canWrite("c", "bob", topic));
        assertEquals(read, pattern.canRead("t", "bob", topic));
        assertEquals(write, pattern.canWrite("t", "bob", topic));
        assertEquals(read, pattern.canRead("t", null, topic));
    }

    @Test
    void topicLinesBeforeTheFirstUserAreForAnonymousClientsOnly() throws Exception {
        AclFile acl = acl("topic public/#", "user bob", "topic bob/#");
        assertTrue(acl.canRead("c", null, "public/x"));
        assertFalse(acl.canRead("c", "bob", "public/x"));
        assertFalse(acl.canRead("c", "alice", "public/x"));
        assertTrue(acl.canRead("c", "bob", "bob/x"));
        assertFalse(acl.canRead("c", null, "bob/x"));
    }

    @Test
    void sectionsOfTheSameUserAddUp() throws Exception {
        AclFile acl = acl("user bob", "topic a", "user alice", "topic b", "user bob", "topic c");
        assertTrue(acl.canRead("c", "bob", "a"));
        assertTrue(acl.canRead("c", "bob", "c"));
        assertFalse(acl.canRead("c", "bob", "b"));
    }

    @Test
    void denyWinsWhereverItStandsInTheSection() throws Exception {
        AclFile before = acl("user bob", "topic deny a/secret", "topic readwrite a/#");
        AclFile after = acl("user bob", "topic readwrite a/#", "topic deny a/secret");
        for (AclFile acl : new AclFile[] {before, after}) {
            assertFalse(acl.canRead("c", "bob", "a/secret"));
            assertFalse(acl.canWrite("c", "bob", "a/secret"));
            assertTrue(acl.canRead("c", "bob", "a/public"));
        }
        AclFile patterns = acl("pattern readwrite %u/#", "pattern deny %u/secret");
        assertFalse(patterns.canRead("c", "bob", "bob/secret"));
        assertTrue(patterns.canRead("c", "bob", "bob/public"));
    }

    @Test
    void sectionIsDecidedBeforePatterns() throws Exception {
        AclFile acl = acl("user bob", "topic read a/#", "topic deny b/#", "pattern deny a/%u", "pattern read b/%u");
        assertTrue(acl.canRead("c", "bob", "a/bob"), "section grant before pattern deny");
        assertFalse(acl.canRead("c", "bob", "b/bob"), "section deny before pattern grant");
    }

    @Test
    void patternsSubstituteClientIdAndUsername() throws Exception {
        AclFile acl = acl("pattern read devices/%c/%u/#", "pattern write out/%c/%c");
        assertTrue(acl.canRead("dev1", "bob", "devices/dev1/bob/temp"));
        assertFalse(acl.canRead("dev2", "bob", "devices/dev1/bob/temp"));
        assertFalse(acl.canRead("dev1", null, "devices/dev1/%u/temp"), "%u patterns skip anonymous clients");
        assertTrue(acl.canWrite("x", null, "out/x/x"));
        assertFalse(acl.canWrite("x", null, "out/x/y"));
    }

    @Test
    void wildcardsInIdentitiesCloseThePatterns() throws Exception {
        AclFile acl = acl("user bob", "topic own/#", "pattern readwrite %c/#", "pattern read u/%u");
        assertFalse(acl.canRead("+", "alice", "anything/x"));
        assertFalse(acl.canRead("#", "alice", "anything"));
        assertFalse(acl.canRead("c", "a#", "u/a#"));
        assertTrue(acl.canRead("#", "bob", "own/x"), "section rules still apply");
    }

    @Test
    void dollarTopicsNeedRulesNamingThem() throws Exception {
        AclFile acl = acl("user admin", "topic read #", "topic read +/broker/#", "user sys", "topic read $SYS/#");
        assertFalse(acl.canRead("c", "admin", "$SYS/broker/uptime"));
        assertTrue(acl.canRead("c", "admin", "any/broker/x"));
        assertTrue(acl.canRead("c", "sys", "$SYS/broker/uptime"));
        assertFalse(acl.canRead("c", "sys", "other"));
    }

    @Test
    void grantsNothingItDoesNotSay() throws Exception {
        AclFile empty = acl("# nothing but a comment", "");
        assertFalse(empty.canRead("c", null, "a"));
        assertFalse(empty.canWrite("c", "bob", "a"));
        AclFile usersOnly = acl("user bob", "topic a");
        assertFalse(usersOnly.canRead("c", "alice", "a"));
        assertFalse(usersOnly.canRead("c", null, "a"));
    }

    @Test
    void filterIsTheRestOfTheLine() throws Exception {
        AclFile acl = acl("topic read  a b  c ", "topic write x\ty", "pattern deny %c with space");
        assertTrue(acl.canRead("c", null, "a b  c"));
        assertTrue(acl.canWrite("c", null, "x\ty"));
        assertFalse(acl.canWrite("c", null, "c with space"));
    }

    @Test
    void toleratesIndentedCommentsAndTrailingBlanks() throws Exception {
        AclFile acl = acl("  # indented comment", "\ttopic read a\t ", "user   bob  ", "topic b");
        assertTrue(acl.canRead("c", null, "a"));
        assertTrue(acl.canRead("c", "bob", "b"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "topic|                missing topic filter",
            "pattern|              missing topic filter",
            "topic foo bar|        invalid access 'foo' (expected read, write, readwrite or deny)",
            "topic Read x|         invalid access 'Read' (expected read, write, readwrite or deny)",
            "topic read a/#/b|     invalid topic filter 'a/#/b'",
            "pattern deny a/+b|    invalid topic filter 'a/+b'",
            "toppic x|             unknown keyword 'toppic' (expected topic, pattern or user)",
            "user|                 missing username after 'user'",
            "'topic\tread\tx'|     unknown keyword 'topic\tread\tx' (expected topic, pattern or user)",
    })
    void badLinesNameFileAndLine(String line, String reason) throws Exception {
        Path file = write(dir.resolve("acl"), "# fine", "topic fine", line);
        AuthFileException e = assertThrows(AuthFileException.class, () -> AclFile.load(file));
        assertEquals(file + ":3: " + reason, e.getMessage());
    }

    @Test
    void missingFileIsAnError() {
        Path file = dir.resolve("absent");
        assertEquals(file + ": no such file", assertThrows(AuthFileException.class, () -> AclFile.load(file)).getMessage());
    }

    private AclFile acl(String... lines) throws Exception {
        return AclFile.load(write(dir.resolve("acl"), lines));
    }
}
