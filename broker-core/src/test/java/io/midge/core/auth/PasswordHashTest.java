package io.midge.core.auth;

import static io.midge.core.auth.MosquittoFixtures.hashOf;
import static io.midge.core.auth.MosquittoFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHashTest {

    @ParameterizedTest
    @ValueSource(strings = {MosquittoFixtures.ALICE_SECRET, MosquittoFixtures.CAROL_SHA512_SECRET,
            MosquittoFixtures.ITER1000_SECRET})
    void verifiesHashesWrittenByMosquittoPasswd(String line) {
        PasswordHash hash = hashOf(line);
        assertTrue(hash.verify(utf8("secret")));
        assertFalse(hash.verify(utf8("Secret")));
        assertFalse(hash.verify(utf8("secret ")));
        assertFalse(hash.verify(utf8("")));
    }

    @Test
    void hashesTheRawPasswordBytesLikeMosquitto() {
        assertTrue(hashOf(MosquittoFixtures.UNICODE).verify(utf8(MosquittoFixtures.UNICODE_PASSWORD)));
        assertTrue(hashOf(MosquittoFixtures.BINARY).verify(MosquittoFixtures.BINARY_PASSWORD));
        assertFalse(hashOf(MosquittoFixtures.BINARY).verify(utf8("\ufffd\ufffd\ufffd")));
    }

    @Test
    void verifiesTheHashOfAnEmptyPassword() {
        assertTrue(hashOf(MosquittoFixtures.EMPTY).verify(new byte[0]));
        assertFalse(hashOf(MosquittoFixtures.EMPTY).verify(utf8(" ")));
    }

    @Test
    void sha512KindIsSha512OfPasswordThenSalt() {
        PasswordHash carol = hashOf(MosquittoFixtures.CAROL_SHA512_SECRET);
        byte[] salt = Base64.getDecoder().decode("mJbPstPzsz2aSL3k");
        assertEquals(carol, PasswordHash.sha512(utf8("secret"), salt));
    }

    @Test
    void pbkdf2KindRecomputesFromItsSalt() {
        PasswordHash alice = hashOf(MosquittoFixtures.ALICE_SECRET);
        byte[] salt = Base64.getDecoder().decode("4nGm8qy35hVyJYmC");
        assertEquals(alice, PasswordHash.pbkdf2(utf8("secret"), salt, 101));
    }

    @ParameterizedTest
    @ValueSource(strings = {MosquittoFixtures.ALICE_SECRET, MosquittoFixtures.CAROL_SHA512_SECRET,
            MosquittoFixtures.ITER1000_SECRET, MosquittoFixtures.EMPTY})
    void encodesExactlyAsParsed(String line) {
        String encoded = line.substring(line.indexOf(':') + 1);
        assertEquals(encoded, PasswordHash.parse(encoded).encoded());
    }

    @Test
    void createsPbkdf2HashesInMosquittoPasswdsShape() {
        PasswordHash hash = PasswordHash.create(utf8("secret"));
        // 12-byte salt and 64-byte hash in padded base64, as mosquitto_passwd 2.0 writes
        assertTrue(hash.encoded().matches("\\$7\\$101\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}=="), hash.encoded());
        assertTrue(hash.verify(utf8("secret")));
        assertFalse(hash.verify(utf8("secreT")));
        assertNotEquals(hash.encoded(), PasswordHash.create(utf8("secret")).encoded(), "fresh salt each time");
    }

    @Test
    void toStringKeepsTheHashOutOfLogs() {
        PasswordHash hash = hashOf(MosquittoFixtures.ALICE_SECRET);
        assertEquals("PasswordHash[$7$, 101 iterations]", hash.toString());
        assertEquals("PasswordHash[$6$]", hashOf(MosquittoFixtures.CAROL_SHA512_SECRET).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "secret|                  not a password hash",
            "$5$abc$def|              unknown password hash type '$5$'",
            "$|                       unknown password hash type '$$'",
            "$7$101$4nGm8qy35hVyJYmC| malformed password hash (expected $7$ITERATIONS$SALT$HASH)",
            "$6$4nGm8qy35hVyJYmC|     malformed password hash (expected $6$SALT$HASH)",
            "$7$0$4nGm8qy35hVyJYmC$AA==|    invalid iteration count '0'",
            "$7$ten$4nGm8qy35hVyJYmC$AA==|  invalid iteration count 'ten'",
            "$7$101$4nGm8qy35hVyJYm!$AA==|  password salt is not valid base64",
            "$7$101$4nGm8qy35hVy$AA==|      password salt is 9 bytes, expected 12",
            "$7$101$4nGm8qy35hVyJYmC$AA==|  password hash is 1 bytes, expected 64",
    })
    void rejectsMalformedHashesWithAReason(String encoded, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(encoded));
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"secret, 101, 64", "p\u00e4ssw\u00f6rd \u20ac, 1000, 64", "x, 1, 64", "long password, 3, 150"})
    void pbkdf2AgreesWithJceForUtf8Passwords(String password, int iterations, int length) throws Exception {
        byte[] salt = utf8("twelve bytes");
        byte[] jce = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, length * 8))
                .getEncoded();
        assertArrayEquals(jce, Pbkdf2.hmacSha512(utf8(password), salt, iterations, length));
    }
}
