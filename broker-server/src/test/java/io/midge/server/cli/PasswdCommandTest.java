package io.midge.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.midge.core.auth.PasswordFile;
import io.midge.core.auth.PasswordHash;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PasswdCommandTest {

    /** {@code mosquitto_passwd -c -b FILE alice secret} (Debian, mosquitto 2.0.11). */
    private static final String ALICE_BY_MOSQUITTO =
            "alice:$7$101$4nGm8qy35hVyJYmC$V1x98dtReApX2SNo5ud2VAM5iZxk4CR3iNbkO3BzYut/ux5B6bEIonl5LstXl9EVXkhEnH80ZcQGgJVcBrt8Ig==";

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    /** What the fake terminal answers, in order; empty deque means no terminal. */
    private final Deque<String> typed = new ArrayDeque<>();
    private final List<String> asked = new ArrayList<>();
    private boolean hasTerminal = true;

    private int passwd(String... args) {
        PasswdCommand command = new PasswdCommand();
        command.prompt = question -> {
            asked.add(question);
            return hasTerminal ? typed.removeFirst().toCharArray() : null;
        };
        return new CommandLine(command).setErr(new PrintWriter(err, true)).execute(args);
    }

    private Path file(String... lines) throws IOException {
        return Files.write(dir.resolve("pw"), List.of(lines), StandardCharsets.UTF_8);
    }

    private static boolean verifies(Path file, String user, String password) throws Exception {
        return PasswordFile.load(file).hashOf(user).orElseThrow().verify(password.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void createsAFileWithOneUser() throws Exception {
        Path file = dir.resolve("pw");
        assertEquals(0, passwd("-c", "-b", file.toString(), "alice", "secret"));
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).matches("alice:\\$7\\$101\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}=="), lines.get(0));
        assertTrue(verifies(file, "alice", "secret"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("", err.toString());
    }

    @Test
    void createOverwritesAnExistingFile() throws Exception {
        Path file = file("# old", ALICE_BY_MOSQUITTO);
        assertEquals(0, passwd("-c", "-b", file.toString(), "bob", "pw"));
        assertEquals(1, Files.readAllLines(file).size());
        assertTrue(verifies(file, "bob", "pw"));
    }

    @Test
    void addsAUserAndLeavesTheOtherLinesUntouched() throws Exception {
        Path file = file("# accounts", ALICE_BY_MOSQUITTO, "");
        assertEquals(0, passwd("-b", file.toString(), "bob", "p\u00e4ss w:rd"));
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("# accounts", ALICE_BY_MOSQUITTO, ""), lines.subList(0, 3));
        assertTrue(verifies(file, "bob", "p\u00e4ss w:rd"));
        assertTrue(verifies(file, "alice", "secret"));
    }

    @Test
    void updatesAUserInPlaceKeepingTheFilesMode() throws Exception {
        Path file = file(ALICE_BY_MOSQUITTO, "# between", "carol:$7$x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(0, passwd("-b", file.toString(), "alice", "changed"));
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("# between", "carol:$7$x"), lines.subList(1, 3));
        assertTrue(PasswordHash.parse(lines.get(0).substring("alice:".length())).verify("changed".getBytes(StandardCharsets.UTF_8)));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void deletesAUser() throws Exception {
        Path file = file("# accounts", ALICE_BY_MOSQUITTO, "bob:$7$x");
        assertEquals(0, passwd("-D", file.toString(), "alice"));
        assertEquals(List.of("# accounts", "bob:$7$x"), Files.readAllLines(file));
    }

    @Test
    void deletingAnUnknownUserFailsAndChangesNothing() throws Exception {
        Path file = file(ALICE_BY_MOSQUITTO);
        assertEquals(1, passwd("-D", file.toString(), "bob"));
        assertEquals("Warning: User bob not found in password file.\n", err.toString());
        assertEquals(List.of(ALICE_BY_MOSQUITTO), Files.readAllLines(file));
    }

    @Test
    void upgradesAPlainTextFile() throws Exception {
        Path file = file("# plain", "dave:plain pass", ALICE_BY_MOSQUITTO, "eve:pw:with:colons");
        assertEquals(0, passwd("-U", file.toString()));
        List<String> lines = Files.readAllLines(file);
        assertEquals("# plain", lines.get(0));
        assertEquals(ALICE_BY_MOSQUITTO, lines.get(2), "an existing hash is not hashed again");
        assertTrue(verifies(file, "dave", "plain pass"));
        assertTrue(verifies(file, "eve", "pw"), "like mosquitto_passwd, the password ends at the next colon");
    }

    @Test
    void asksForThePasswordTwiceWithoutBatchMode() throws Exception {
        Path file = dir.resolve("pw");
        typed.add("typed secret");
        typed.add("typed secret");
        assertEquals(0, passwd("-c", file.toString(), "alice"));
        assertEquals(List.of("Password: ", "Reenter password: "), asked);
        assertTrue(verifies(file, "alice", "typed secret"));
    }

    @Test
    void refusesDifferingOrEmptyTypedPasswords() throws Exception {
        Path file = file(ALICE_BY_MOSQUITTO);
        typed.add("one");
        typed.add("two");
        assertEquals(1, passwd(file.toString(), "alice"));
        typed.add("");
        assertEquals(1, passwd(file.toString(), "alice"));
        assertEquals("Error: Passwords do not match.\nError: Empty password.\n", err.toString());
        assertEquals(List.of(ALICE_BY_MOSQUITTO), Files.readAllLines(file));
    }

    @Test
    void withoutATerminalSaysToUseBatchMode() {
        hasTerminal = false;
        assertEquals(1, passwd("-c", dir.resolve("pw").toString(), "alice"));
        assertEquals("Error: no terminal to read the password from; give it on the command line with -b.\n", err.toString());
        assertFalse(Files.exists(dir.resolve("pw")));
    }

    @Test
    void refusesOptionCombinationsLikeMosquittoPasswd() {
        String file = dir.resolve("pw").toString();
        assertEquals(1, passwd("-c", "-D", file, "alice"));
        assertEquals(1, passwd("-c", "-U", file));
        assertEquals(1, passwd("-D", "-U", file));
        assertEquals(1, passwd("-b", "-D", file, "alice", "pw"));
        assertEquals(String.join("\n",
                "Error: -c and -D cannot be used together.",
                "Error: -c and -U cannot be used together.",
                "Error: -D and -U cannot be used together.",
                "Error: -b and -D cannot be used together.", ""), err.toString());
    }

    @Test
    void refusesMissingOrSurplusArguments() {
        String file = dir.resolve("pw").toString();
        assertEquals(1, passwd("-b", file, "alice"));
        assertEquals(1, passwd(file, "alice", "pw"));
        assertEquals(1, passwd("-c", file));
        assertEquals(1, passwd("-U", file, "alice"));
        assertEquals(1, passwd());
        assertEquals(1, passwd("-b", file, "alice", "pw", "surplus"));
        assertEquals(1, passwd("-x", file, "alice"));
        assertTrue(err.toString().startsWith(String.join("\n",
                "Error: -b needs the password after the username.",
                "Error: a password on the command line needs -b.",
                "Error: a username is needed after the password file.",
                "Error: -U takes the password file only.", "")), err.toString());
    }

    @Test
    void refusesUsernamesMosquittoCannotStore() {
        assertEquals(1, passwd("-c", "-b", dir.resolve("pw").toString(), "al:ice", "pw"));
        assertEquals("Error: Username must not contain the ':' character.\n", err.toString());
    }

    @Test
    void reportsAMissingOrCorruptFileInOneLine() throws Exception {
        Path missing = dir.resolve("missing");
        assertEquals(1, passwd("-b", missing.toString(), "alice", "pw"));
        Path corrupt = file(ALICE_BY_MOSQUITTO, "garbage");
        assertEquals(1, passwd("-b", corrupt.toString(), "bob", "pw"));
        assertEquals("Error: Unable to open password file " + missing + ": no such file.\n"
                + "Error: Corrupt password file " + corrupt + ", line 2: expected 'username:password hash'\n", err.toString());
        assertFalse(Files.exists(missing));
    }

    /**
     * Direction Midge to mosquitto: mosquitto_passwd parses every line of a file it edits, so it
     * accepts our file as its own and keeps our hash intact. Skipped without mosquitto_passwd.
     */
    @Test
    void mosquittoPasswdEditsAFileWeWrote() throws Exception {
        Path file = dir.resolve("pw");
        assertEquals(0, passwd("-c", "-b", file.toString(), "alice", "from midge"));
        mosquittoPasswd("-b", file.toString(), "bob", "from mosquitto");
        assertTrue(verifies(file, "alice", "from midge"));
        assertTrue(verifies(file, "bob", "from mosquitto"));
        mosquittoPasswd("-D", file.toString(), "bob");
        assertEquals(1, Files.readAllLines(file).size());
        assertTrue(verifies(file, "alice", "from midge"));
    }

    private static void mosquittoPasswd(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_passwd"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "mosquitto_passwd is not installed (apt-get install mosquitto)");
            return;
        }
        assumeTrue(process.waitFor(30, TimeUnit.SECONDS), "mosquitto_passwd hung");
        assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
