package io.midge.core.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The edits {@code mosquitto_passwd} makes to a password file, on its lines in memory. Lines
 * that are not touched stay exactly as they were, comments and blank lines included.
 */
public final class PasswordFileEditor {

    private final List<String> lines;

    private PasswordFileEditor(List<String> lines) {
        this.lines = new ArrayList<>(lines);
    }

    /** An editor for a new, empty file. */
    public static PasswordFileEditor empty() {
        return new PasswordFileEditor(List.of());
    }

    /**
     * An editor for the given file contents.
     *
     * @throws IllegalArgumentException naming the first line that is neither an entry, a
     *         comment nor blank
     */
    public static PasswordFileEditor of(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            try {
                PasswordEntry.parse(lines.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new PasswordFileEditor(lines);
    }

    /** Gives {@code username} this hash: replaces each of its lines, or adds one at the end. */
    public void setPassword(String username, PasswordHash hash) {
        String newLine = PasswordEntry.format(username, hash);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (isEntryOf(lines.get(i), username)) {
                lines.set(i, newLine);
                found = true;
            }
        }
        if (!found) {
            lines.add(newLine);
        }
    }

    /** Removes every line of {@code username}; false when there was none. */
    public boolean delete(String username) {
        return lines.removeIf(line -> isEntryOf(line, username));
    }

    /**
     * Replaces each plain-text password with a new {@code $7$} hash of it, as
     * {@code mosquitto_passwd -U} does. Unlike mosquitto_passwd, which would hash a hash and so
     * lock the user out, entries that already hold a valid hash are left alone.
     *
     * @return how many entries were hashed
     */
    public int hashPlainTextPasswords() {
        int hashed = 0;
        for (int i = 0; i < lines.size(); i++) {
            Optional<PasswordEntry> entry = PasswordEntry.parse(lines.get(i));
            if (entry.isPresent() && !isHash(entry.get().secret())) {
                byte[] password = entry.get().secret().getBytes(StandardCharsets.UTF_8);
                lines.set(i, PasswordEntry.format(entry.get().username(), PasswordHash.create(password)));
                hashed++;
            }
        }
        return hashed;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    private static boolean isEntryOf(String line, String username) {
        return PasswordEntry.parse(line).map(entry -> entry.username().equals(username)).orElse(false);
    }

    private static boolean isHash(String secret) {
        try {
            PasswordHash.parse(secret);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
