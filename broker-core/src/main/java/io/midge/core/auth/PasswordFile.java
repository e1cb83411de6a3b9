package io.midge.core.auth;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts of a mosquitto password file ({@code password_file}): one
 * {@code username:HASH} line per user, HASH as {@link PasswordHash} describes. Blank lines and
 * lines starting with {@code #} are ignored. When a user name appears twice the later line
 * counts, as in mosquitto. Immutable.
 *
 * <p>Stricter than mosquitto on purpose: where mosquitto logs a malformed line and drops that
 * account (or skips a line without a colon silently), loading fails with {@code FILE:LINE:
 * reason}, so a typo cannot lock a user out unnoticed.
 */
public final class PasswordFile {

    private final Map<String, PasswordHash> hashes;

    private PasswordFile(Map<String, PasswordHash> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    public static PasswordFile load(Path file) throws AuthFileException {
        List<String> lines = AuthFiles.readLines(file);
        Map<String, PasswordHash> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                Optional<PasswordEntry> entry = PasswordEntry.parse(lines.get(i));
                if (entry.isPresent()) {
                    hashes.put(entry.get().username(), PasswordHash.parse(entry.get().secret()));
                }
            } catch (IllegalArgumentException e) {
                throw AuthFileException.atLine(file, i + 1, e.getMessage());
            }
        }
        return new PasswordFile(hashes);
    }

    /** The hash stored for {@code username}, if the file has that user. */
    public Optional<PasswordHash> hashOf(String username) {
        return Optional.ofNullable(hashes.get(username));
    }

    public Set<String> usernames() {
        return hashes.keySet();
    }
}
