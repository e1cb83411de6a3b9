package io.midge.server.cli;

import io.midge.core.auth.PasswordEntry;
import io.midge.core.auth.PasswordFileEditor;
import io.midge.core.auth.PasswordFileWriter;
import io.midge.core.auth.PasswordHash;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code midge passwd [-c] [-b] [-D] [-U] FILE [USER [PASSWORD]]}: manages a password file the
 * way {@code mosquitto_passwd} does, writing {@code $7$} (PBKDF2-SHA512, 101 iterations)
 * hashes that mosquitto 2.0 reads. Exit code 0 on success, 1 with a one-line message otherwise.
 */
@Command(name = "passwd", exitCodeOnInvalidInput = 1,
        description = {"Manage a password file for the password_file option, as mosquitto_passwd does.",
                "Without -b the password is asked for twice on the terminal."},
        footer = {"", "-U hashes every plain-text user:password line; lines that already hold a hash are kept.",
                "A new file is created with mode 0600; an existing one keeps its mode and owner."})
public final class PasswdCommand implements Callable<Integer> {

    /** Reads a password without echo; the hook tests replace. */
    @FunctionalInterface
    interface PasswordPrompt {
        /** The line typed, or null when there is no terminal to ask on. */
        char[] ask(String prompt);
    }

    /** Why the command stops, in the one line printed for the user. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    @Option(names = "-c", description = "Create the file, overwriting it if it exists.")
    boolean create;

    @Option(names = "-b", description = "Batch mode: take the password from the command line.")
    boolean batch;

    @Option(names = "-D", description = "Delete USER from the file.")
    boolean delete;

    @Option(names = "-U", description = "Upgrade a plain-text password file to hashed passwords.")
    boolean upgrade;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "FILE", description = "The password file.")
    Path file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "USER", description = "The user to add, update or delete.")
    String username;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PASSWORD", description = "The password, with -b only.")
    String password;

    @Spec
    CommandSpec spec;

    PasswordPrompt prompt = PasswdCommand::askOnConsole;

    @Override
    public Integer call() {
        try {
            checkArguments();
            run();
            return 0;
        } catch (Failure e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }

    private void run() throws Failure {
        if (upgrade) {
            PasswordFileEditor editor = readFile();
            editor.hashPlainTextPasswords();
            writeFile(editor);
        } else if (delete) {
            PasswordFileEditor editor = readFile();
            if (!editor.delete(username)) {
                throw new Failure("Warning: User " + username + " not found in password file.");
            }
            writeFile(editor);
        } else {
            PasswordFileEditor editor = create ? PasswordFileEditor.empty() : readFile();
            byte[] secret = (batch ? password : askTwice()).getBytes(StandardCharsets.UTF_8);
            editor.setPassword(username, PasswordHash.create(secret));
            writeFile(editor);
        }
    }

    /** The combinations mosquitto_passwd accepts, with its reasons for the others. */
    private void checkArguments() throws Failure {
        refuseTogether(create, "-c", delete, "-D");
        refuseTogether(create, "-c", upgrade, "-U");
        refuseTogether(delete, "-D", upgrade, "-U");
        refuseTogether(batch, "-b", delete, "-D");
        if (upgrade) {
            if (username != null) {
                throw error("-U takes the password file only.");
            }
            return;
        }
        if (username == null) {
            throw error("a username is needed after the password file.");
        }
        if (batch && password == null) {
            throw error("-b needs the password after the username.");
        }
        if (!batch && password != null) {
            throw error("a password on the command line needs -b.");
        }
        try {
            PasswordEntry.checkUsername(username);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        if (password != null) {
            checkPasswordLength(password);
        }
    }

    private static void refuseTogether(boolean first, String firstName, boolean second, String secondName) throws Failure {
        if (first && second) {
            throw error(firstName + " and " + secondName + " cannot be used together.");
        }
    }

    private static void checkPasswordLength(String secret) throws Failure {
        if (secret.getBytes(StandardCharsets.UTF_8).length > PasswordEntry.MAX_LENGTH) {
            throw error("Password must be less than 65536 characters long.");
        }
    }

    private String askTwice() throws Failure {
        String first = askOnce("Password: ");
        String second = askOnce("Reenter password: ");
        if (!first.equals(second)) {
            throw error("Passwords do not match.");
        }
        checkPasswordLength(first);
        return first;
    }

    private String askOnce(String question) throws Failure {
        char[] typed = prompt.ask(question);
        if (typed == null) {
            throw error("no terminal to read the password from; give it on the command line with -b.");
        }
        if (typed.length == 0) {
            throw error("Empty password.");
        }
        return new String(typed);
    }

    private static char[] askOnConsole(String question) {
        Console console = System.console();
        return console == null ? null : console.readPassword("%s", question);
    }

    private PasswordFileEditor readFile() throws Failure {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw error("Unable to open password file " + file + ": no such file.");
        } catch (CharacterCodingException e) {
            throw error("Password file " + file + " is not valid UTF-8.");
        } catch (IOException e) {
            throw error("Unable to open password file " + file + ": " + e.getMessage());
        }
        try {
            return PasswordFileEditor.of(lines);
        } catch (IllegalArgumentException e) {
            throw error("Corrupt password file " + file + ", " + e.getMessage());
        }
    }

    private void writeFile(PasswordFileEditor editor) throws Failure {
        try {
            PasswordFileWriter.write(file, editor.lines());
        } catch (IOException e) {
            throw error("Unable to write password file " + file + ": " + e);
        }
    }

    private static Failure error(String message) {
        return new Failure("Error: " + message);
    }
}
