package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's home-to-cloud bridge block works as written, against a mosquitto standing in for
 * AWS IoT (a TLS listener that requires a client certificate from the test CA): only the
 * endpoint and the certificate paths are swapped for loopback and the test's files.
 */
class ReadmeBridgeConfigTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);
    private static final Path README = Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize();

    @TempDir
    Path dir;

    @Test
    void homeToCloudExampleConnectsAndForwards() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        TestFiles.shareDir(dir);
        TestCerts certs = TestCerts.generate(TestFiles.shareDir(dir.resolve("certs")));
        int[] ports = BrokerProcess.freePorts(3);
        int local = ports[0];
        int cloudTls = ports[1];
        int cloudPlain = ports[2];

        List<String> config = new ArrayList<>(List.of("listener " + local + " " + BrokerProcess.HOST, "allow_anonymous true"));
        int addresses = 0;
        for (String line : block(readme, "connection awsiot").split("\n")) {
            if (line.startsWith("address ")) {
                line = "address " + BrokerProcess.HOST + ":" + cloudTls;
                addresses++;
            }
            config.add(line.replace("/etc/midge/certs/rootCA.pem", certs.caCert.toString())
                    .replace("/etc/midge/certs/cert.crt", certs.clientCert.toString())
                    .replace("/etc/midge/certs/private.key", certs.clientKey.toString()));
        }
        assertEquals(1, addresses, "the README's example has one address");
        assertTrue(config.contains("topic localgateway_to_awsiot out 1"), String.join("\n", config));

        List<String> cloud = new ArrayList<>(List.of("listener " + cloudTls + " " + BrokerProcess.HOST));
        cloud.addAll(certs.serverConfig());
        cloud.add("require_certificate true");
        cloud.add("listener " + cloudPlain + " " + BrokerProcess.HOST);
        cloud.add("allow_anonymous true");
        try (BrokerProcess cloudBroker = BrokerProcess.startMosquittoConfig(cloud, cloudTls, cloudPlain);
             Inbox atCloud = Inbox.subscribe(cloudPlain, "cloud-app", true, "localgateway_to_awsiot", "both_directions");
             BrokerProcess home = BrokerProcess.startConfig(config, local);
             Inbox atHome = Inbox.subscribe(local, "home-app", true, "awsiot_to_localgateway", "both_directions")) {
            Await.until(LIMIT, () -> {
                atHome.paho().publish("localgateway_to_awsiot", "21.5", 1, false);
                return atCloud.count(m -> m.topic().equals("localgateway_to_awsiot")) > 0;
            }, () -> "a message from home to the cloud; home log:\n" + home.tail(20));
            atCloud.paho().publish("awsiot_to_localgateway", "on", 1, false);
            atHome.await("awsiot_to_localgateway", "on", LIMIT);
            cloudBroker.awaitLog(" as bridgeawsiot ", LIMIT);
        }
    }

    private static String block(String readme, String marker) {
        Matcher fence = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (fence.find()) {
            if (fence.group(1).contains(marker)) {
                return fence.group(1);
            }
        }
        throw new AssertionError("README has no code block with " + marker);
    }
}
