package io.midge.core.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A salted password hash in the notation of mosquitto's password file, the part after
 * {@code username:}. Two kinds exist, both with a 12-byte salt and a 64-byte hash, encoded in
 * standard base64 with padding:
 * <ul>
 *   <li>{@code $7$ITERATIONS$SALT$HASH}: PBKDF2-HMAC-SHA512, written by mosquitto_passwd 2.0
 *       (101 iterations by default);</li>
 *   <li>{@code $6$SALT$HASH}: SHA-512 over the password bytes followed by the salt bytes,
 *       written by mosquitto 1.6 and by {@code mosquitto_passwd -H sha512}.</li>
 * </ul>
 * Immutable.
 */
public final class PasswordHash {

    /** What mosquitto_passwd 2.0 uses for new hashes. */
    public static final int DEFAULT_ITERATIONS = 101;
    /** The only salt length mosquitto 2.0 accepts. */
    public static final int SALT_LENGTH = 12;
    /** SHA-512 output; the only hash length mosquitto 2.0 accepts. */
    public static final int HASH_LENGTH = 64;

    private static final String SHA512_ID = "6";
    private static final String PBKDF2_ID = "7";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** 0 for the {@code $6$} kind, which hashes once. */
    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** A new {@code $7$} hash of {@code password} with a fresh random salt. */
    public static PasswordHash create(byte[] password) {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return pbkdf2(password, salt, DEFAULT_ITERATIONS);
    }

    /** A {@code $7$} hash with the given salt and iteration count. */
    public static PasswordHash pbkdf2(byte[] password, byte[] salt, int iterations) {
        checkSalt(salt);
        return new PasswordHash(iterations, salt.clone(),
                Pbkdf2.hmacSha512(password, salt, iterations, HASH_LENGTH));
    }

    /** A {@code $6$} hash with the given salt: only for reading and testing old files. */
    public static PasswordHash sha512(byte[] password, byte[] salt) {
        checkSalt(salt);
        return new PasswordHash(0, salt.clone(), sha512Digest(password, salt));
    }

    /**
     * Parses the hash part of a password file line, such as {@code $7$101$SALT$HASH}.
     *
     * @throws IllegalArgumentException with a reason fit for an error message
     */
    public static PasswordHash parse(String encoded) {
        if (!encoded.startsWith("$")) {
            throw new IllegalArgumentException("not a password hash (a plain-text password? hash the file with 'midge passwd -U')");
        }
        String[] fields = encoded.substring(1).split("\\$", -1);
        switch (fields[0]) {
            case SHA512_ID:
                requireFieldCount(fields, 3, "$6$SALT$HASH");
                return new PasswordHash(0, decode(fields[1], SALT_LENGTH, "salt"), decode(fields[2], HASH_LENGTH, "hash"));
            case PBKDF2_ID:
                requireFieldCount(fields, 4, "$7$ITERATIONS$SALT$HASH");
                return new PasswordHash(parseIterations(fields[1]),
                        decode(fields[2], SALT_LENGTH, "salt"), decode(fields[3], HASH_LENGTH, "hash"));
            default:
                throw new IllegalArgumentException("unknown password hash type '$" + fields[0] + "$' (expected $6$ or $7$)");
        }
    }

    /** Whether {@code password} hashes to this hash; takes the same time wherever they differ. */
    public boolean verify(byte[] password) {
        byte[] candidate = isSha512()
                ? sha512Digest(password, salt)
                : Pbkdf2.hmacSha512(password, salt, iterations, HASH_LENGTH);
        return MessageDigest.isEqual(candidate, hash);
    }

    /** The notation of the password file, as mosquitto_passwd writes it. */
    public String encoded() {
        Base64.Encoder base64 = Base64.getEncoder();
        String saltAndHash = base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
        return isSha512()
                ? "$" + SHA512_ID + "$" + saltAndHash
                : "$" + PBKDF2_ID + "$" + iterations + "$" + saltAndHash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash other && iterations == other.iterations
                && Arrays.equals(salt, other.salt) && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(salt) + Arrays.hashCode(hash);
    }

    /** Names the kind only: hashes do not belong in logs, where they invite offline guessing. */
    @Override
    public String toString() {
        return isSha512() ? "PasswordHash[$6$]" : "PasswordHash[$7$, " + iterations + " iterations]";
    }

    private boolean isSha512() {
        return iterations == 0;
    }

    private static byte[] sha512Digest(byte[] password, byte[] salt) {
        try {
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            sha512.update(password);
            sha512.update(salt);
            return sha512.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime provides SHA-512", e);
        }
    }

    private static void checkSalt(byte[] salt) {
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("salt must be " + SALT_LENGTH + " bytes, not " + salt.length);
        }
    }

    private static void requireFieldCount(String[] fields, int count, String shape) {
        if (fields.length != count) {
            throw new IllegalArgumentException("malformed password hash (expected " + shape + ")");
        }
    }

    private static int parseIterations(String field) {
        try {
            int iterations = Integer.parseInt(field);
            if (iterations >= 1) {
                return iterations;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid iteration count '" + field + "'");
    }

    private static byte[] decode(String base64, int expectedLength, String what) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("password " + what + " is not valid base64");
        }
        if (bytes.length != expectedLength) {
            throw new IllegalArgumentException("password " + what + " is " + bytes.length + " bytes, expected " + expectedLength);
        }
        return bytes;
    }
}
