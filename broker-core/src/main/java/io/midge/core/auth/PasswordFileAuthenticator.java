package io.midge.core.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks user names and passwords against a mosquitto password file, as mosquitto 2.0 does
 * with {@code password_file}. Thread-safe; {@link #reload()} swaps the accounts atomically and
 * keeps the old ones when the file has become unreadable or broken.
 *
 * <p>Outcomes, each as mosquitto 2.0.11 answers (checked against the real broker):
 * <ul>
 *   <li>no user name: {@code ACCEPTED} when anonymous clients are allowed, else
 *       {@code NOT_AUTHORIZED};</li>
 *   <li>known user and matching password: {@code ACCEPTED};</li>
 *   <li>unknown user, wrong password, or no or an empty password: {@code BAD_USERNAME_OR_PASSWORD}
 *       (CONNACK 4, as MQTT 3.1.1 says; mosquitto 2.0 sends 5 here).</li>
 * </ul>
 * Unlike mosquitto, a password is compared in full: mosquitto stops at its first zero byte, so
 * "secret\0anything" passes as "secret" there.
 */
public final class PasswordFileAuthenticator implements Authenticator, Reloadable {

    private static final Result WRONG_CREDENTIALS = Result.BAD_USERNAME_OR_PASSWORD;

    /** Checked for unknown users so that they cost as much time as known ones. */
    private static final PasswordHash DECOY = PasswordHash.create("decoy".getBytes(StandardCharsets.UTF_8));

    private final FileSnapshot<PasswordFile> accounts;
    private final boolean allowAnonymous;

    private PasswordFileAuthenticator(FileSnapshot<PasswordFile> accounts, boolean allowAnonymous) {
        this.accounts = accounts;
        this.allowAnonymous = allowAnonymous;
    }

    /** Reads {@code passwordFile} now; fails when it is unreadable or has a bad line. */
    public static PasswordFileAuthenticator load(Path passwordFile, boolean allowAnonymous) throws AuthFileException {
        return new PasswordFileAuthenticator(new FileSnapshot<>(passwordFile, PasswordFile::load), allowAnonymous);
    }

    @Override
    public Result authenticate(String clientId, String username, byte[] password) {
        if (username == null) {
            return allowAnonymous ? Result.ACCEPTED : Result.NOT_AUTHORIZED;
        }
        Optional<PasswordHash> hash = accounts.current().hashOf(username);
        if (password == null || password.length == 0) {
            // mosquitto treats a zero-length password as none, even for a hash of ""
            return WRONG_CREDENTIALS;
        }
        boolean matches = hash.orElse(DECOY).verify(password);
        return matches && hash.isPresent() ? Result.ACCEPTED : WRONG_CREDENTIALS;
    }

    @Override
    public Path file() {
        return accounts.file();
    }

    @Override
    public void reload() throws AuthFileException {
        accounts.reload();
    }
}
