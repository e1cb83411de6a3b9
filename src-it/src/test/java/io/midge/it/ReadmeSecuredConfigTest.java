package io.midge.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's secured set-up works as written: its config block, its {@code midge passwd} and
 * ACL commands, and its {@code mosquitto_pub} line, with only the paths under /etc/midge and the
 * port numbers swapped for a temporary directory and free ports.
 */
class ReadmeSecuredConfigTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);
    private static final Path README = Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize();

    @TempDir
    Path dir;

    @Test
    void securedExampleAcceptsTheUserOverTlsAndAppliesTheAcl() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String etc = TestFiles.shareDir(dir) + "/";
        TestCerts certs = TestCerts.generate(dir.resolve("certs"));
        Files.copy(certs.serverCert, dir.resolve("server.crt"));
        Files.copy(certs.serverKey, dir.resolve("server.key"));
        TestFiles.shareFile(dir.resolve("server.key"));

        int[] ports = BrokerProcess.freePorts(3);
        List<String> config = new ArrayList<>();
        int listener = 0;
        for (String line : block(readme, "# midge.conf").split("\n")) {
            line = line.replace("/etc/midge/", etc);
            if (line.startsWith("listener ")) {
                line = "listener " + ports[listener++] + " 127.0.0.1";
            }
            config.add(line);
        }
        assertEquals(3, listener, "the README's example has three listeners");

        String commands = block(readme, "./midge passwd");
        String passwd = line(commands, "./midge passwd").replace("/etc/midge/", etc);
        assertTrue(passwd.contains("passwd -c " + etc + "passwd alice"), passwd);
        TestFiles.midgePasswd(Path.of(etc + "passwd"), true, "alice", "secret");
        String aclCommand = line(commands, "printf").replace("/etc/midge/", etc);
        TestFiles.run(List.of("bash", "-c", aclCommand));
        TestFiles.shareFile(Path.of(etc + "acl"));

        String pub = line(commands, "mosquitto_pub");
        assertTrue(pub.contains("-u alice -P secret -t sensors/t -m 21"), pub);

        try (BrokerProcess broker = BrokerProcess.startConfig(config, ports);
             Cli sub = Cli.start("mosquitto_sub", ports[0], "--cafile", certs.caCert.toString(), "-u", "alice",
                     "-P", "secret", "-t", "sensors/#", "-t", "elsewhere/#", "-v", "-d")) {
            sub.awaitLine(l -> l.contains("received SUBACK"), LIMIT, "SUBACK");
            try (Cli denied = Cli.start("mosquitto_pub", ports[0], "--cafile", certs.caCert.toString(), "-u", "alice",
                    "-P", "secret", "-t", "elsewhere/t", "-m", "not for alice")) {
                assertEquals(0, denied.awaitExit(LIMIT), "a denied PUBLISH is still acknowledged: " + denied.lines());
            }
            try (Cli ok = Cli.start("mosquitto_pub", ports[0], "--cafile", certs.caCert.toString(), "-u", "alice",
                    "-P", "secret", "-t", "sensors/t", "-m", "21")) {
                assertEquals(0, ok.awaitExit(LIMIT), "mosquitto_pub: " + ok.lines());
            }
            sub.awaitLine(l -> l.equals("sensors/t 21"), LIMIT, "the README's message");
            assertFalse(sub.lines().stream().anyMatch(l -> l.startsWith("elsewhere/")), "the ACL keeps elsewhere/ out");
            try (Cli wrong = Cli.start("mosquitto_pub", ports[0], "--cafile", certs.caCert.toString(), "-u", "alice",
                    "-P", "wrong", "-t", "sensors/t", "-m", "x")) {
                assertTrue(wrong.awaitExit(LIMIT) != 0, "wrong password refused");
            }
        }
    }

    /** The fenced code block of the README whose text contains {@code marker}. */
    private static String block(String readme, String marker) {
        Matcher fence = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (fence.find()) {
            if (fence.group(1).contains(marker)) {
                return fence.group(1);
            }
        }
        throw new AssertionError("README has no code block with " + marker);
    }

    private static String line(String block, String prefix) {
        return block.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> l.replaceAll("\\s+#.*$", "").trim())
                .orElseThrow(() -> new AssertionError("no line starting " + prefix));
    }
}
