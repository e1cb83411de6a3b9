package io.midge.core.auth;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PBKDF2 with HMAC-SHA512 (RFC 8018 section 5.2) over raw password bytes.
 *
 * <p>JCE's {@code PBKDF2WithHmacSHA512} takes the password as {@code char[]} and encodes it as
 * UTF-8 itself, so it cannot hash the bytes of a CONNECT password that is not valid UTF-8;
 * mosquitto hashes whatever bytes the client sent.
 */
final class Pbkdf2 {

    private static final String HMAC = "HmacSHA512";

    private Pbkdf2() {
    }

    static byte[] hmacSha512(byte[] password, byte[] salt, int iterations, int length) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations " + iterations);
        }
        Mac prf = newMac(password);
        int blockLength = prf.getMacLength();
        byte[] derived = new byte[length];
        for (int block = 1, offset = 0; offset < length; block++, offset += blockLength) {
            byte[] t = firstIteration(prf, salt, block);
            byte[] u = t.clone();
            for (int i = 1; i < iterations; i++) {
                u = prf.doFinal(u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            System.arraycopy(t, 0, derived, offset, Math.min(blockLength, length - offset));
        }
        return derived;
    }

    /** U1 = PRF(password, salt || INT_32_BE(block)). */
    private static byte[] firstIteration(Mac prf, byte[] salt, int block) {
        prf.update(salt);
        prf.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
        return prf.doFinal();
    }

    private static Mac newMac(byte[] password) {
        // SecretKeySpec refuses an empty key. HMAC pads every key shorter than its block with
        // zero bytes, so the empty key and the one-zero-byte key are the same key.
        byte[] key = password.length == 0 ? new byte[1] : password;
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime provides " + HMAC, e);
        }
    }
}
