package io.midge.core.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * One {@code username:secret} line of a password file, split the way mosquitto splits it: the
 * line is cut at colons, empty pieces are skipped (C's strtok), the first piece is the user
 * name and the second the secret, each with surrounding blanks trimmed. Anything after a third
 * colon is ignored, as mosquitto ignores it. The secret is a hash in a password file, or the
 * password itself in a plain-text file waiting for {@code passwd -U}.
 */
public record PasswordEntry(String username, String secret) {

    /** Longest user name or password mosquitto_passwd accepts, in UTF-8 bytes. */
    public static final int MAX_LENGTH = 65_535;

    /**
     * The entry on {@code line}, or empty for a blank line or a {@code #} comment.
     *
     * @throws IllegalArgumentException when the line is neither
     */
    public static Optional<PasswordEntry> parse(String line) {
        if (AuthFiles.isBlankOrComment(line)) {
            return Optional.empty();
        }
        if (AuthFiles.trimBlanks(line).startsWith(":")) {
            throw new IllegalArgumentException("missing username before ':'");
        }
        if (line.indexOf(':') < 0) {
            throw new IllegalArgumentException("expected 'username:password hash'");
        }
        String[] pieces = Arrays.stream(line.split(":")).filter(piece -> !piece.isEmpty()).toArray(String[]::new);
        String username = AuthFiles.trimBlanks(pieces[0]);
        String secret = pieces.length > 1 ? AuthFiles.trimBlanks(pieces[1]) : "";
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("nothing after ':' for user '" + username + "'");
        }
        return Optional.of(new PasswordEntry(username, secret));
    }

    /** The line mosquitto_passwd writes for this user and hash. */
    public static String format(String username, PasswordHash hash) {
        return username + ":" + hash.encoded();
    }

    /**
     * Rejects a user name that cannot be written to a password file, with mosquitto_passwd's
     * reasons.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void checkUsername(String username) {
        if (username.isEmpty()) {
            throw new IllegalArgumentException("Username must not be empty.");
        }
        if (username.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw new IllegalArgumentException("Username must be less than 65536 characters long.");
        }
        if (username.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("Username must not contain control characters.");
        }
        if (username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("Username must not contain the ':' character.");
        }
    }
}
