package io.midge.core.auth;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Password file lines written by Debian's mosquitto_passwd 2.0.11, with the passwords they
 * hash, and a way to run mosquitto_passwd itself when it is installed.
 */
final class MosquittoFixtures {

    /** {@code mosquitto_passwd -b FILE alice secret} */
    static final String ALICE_SECRET =
            "alice:$7$101$4nGm8qy35hVyJYmC$V1x98dtReApX2SNo5ud2VAM5iZxk4CR3iNbkO3BzYut/ux5B6bEIonl5LstXl9EVXkhEnH80ZcQGgJVcBrt8Ig==";
    /** {@code mosquitto_passwd -H sha512 -b FILE carol secret}: the mosquitto 1.6 kind. */
    static final String CAROL_SHA512_SECRET =
            "carol:$6$mJbPstPzsz2aSL3k$poDlrwM9/qfs7b297/mWyN8QuYrb+XaMLs92rEPxfdlLqpafiaiNMNH6kW/Q/j9L5tdGFh0dXQ9qpni/NGbYDg==";
    /** {@code mosquitto_passwd -I 1000 -b FILE iter1000 secret} */
    static final String ITER1000_SECRET =
            "iter1000:$7$1000$ZXHsyyGQm68JFPeC$t2c/MtLgjA43cmA4rZyJt7ybfbwec2Z/DjK8g6l0yMVpnjgn+wF/Qe4ngF1T1nAU+jAwq1m8sOjTUuZM4+l6Bg==";
    /** {@code mosquitto_passwd -b FILE unicode 'pä$s€'} in a UTF-8 shell. */
    static final String UNICODE = "unicode:$7$101$EIghSI8yZjcegLHX$jGrZJSMMBFAAierN0TKl4ei8eqneRS/IXZHf+w8vVZLpj6JMTHGEcmGjkqXxF7TNyoZIP4OqMNewg3zh39VrjA==";
    static final String UNICODE_PASSWORD = "p\u00e4$s\u20ac";
    /** {@code mosquitto_passwd -b FILE binary $'\xff\xfe\x80'}: bytes that are not UTF-8. */
    static final String BINARY = "binary:$7$101$WOY227ZWa3m+fPWs$belT+4TeFKhcgIgptvY2+5z0+v1egjqMqdP97amq65xE0ddVjqyJ4NyxdCkNj1dW/h/LPWq0Teg8PnjodOy1Og==";
    static final byte[] BINARY_PASSWORD = {(byte) 0xff, (byte) 0xfe, (byte) 0x80};
    /** {@code mosquitto_passwd -b FILE empty ''} */
    static final String EMPTY = "empty:$7$101$tLQ/J28bg62GWO+7$y5uijjmmPAgnyVEOWxgPRVaLOeFYkXjN+ErPg4iAF4/pbAai8axYK/erfDZ7hIHMkScJHIkv6roBbwPns8XIBQ==";

    /** {@code mosquitto_passwd -U} on the line {@code eve:pw:with:colons}. */
    static final String EVE_UPGRADED = "eve:$7$101$nNGBONI43W5YV6YM$jd/hXItATVflnke5K02Tp7m6P+WPbD4/S7hWgJXoJUpryaD/boQS0tRHYsf43GVRCE2+rWBN56pPzef5q/6Uug==";

    private MosquittoFixtures() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The hash part of a fixture line. */
    static PasswordHash hashOf(String line) {
        return PasswordHash.parse(line.substring(line.indexOf(':') + 1));
    }

    /** Runs Debian's mosquitto_passwd with {@code args}; skips the test when it is not installed. */
    static void mosquittoPasswd(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("mosquitto_passwd");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "mosquitto_passwd is not installed (apt-get install mosquitto)");
            return;
        }
        assumeTrue(process.waitFor(30, TimeUnit.SECONDS), "mosquitto_passwd hung");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError("mosquitto_passwd " + String.join(" ", args) + " failed: " + output);
        }
    }

    static Path write(Path file, String... lines) throws IOException {
        return Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    }
}
