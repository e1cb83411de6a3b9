package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard at an http listener's {@code /}, in Debian's headless Chromium driven by
 * playwright-core ({@code src/test/js/dashboard.mjs}, launched as the browser WebSocket test
 * launches it) and logged in with HTTP basic auth: it loads, shows in its topic tree a retained
 * topic {@code mosquitto_pub} published, and its rate chart fills while a publisher sends. The
 * screenshot is kept as {@code src-it/target/dashboard/dashboard.png}. One broker:
 * <pre>
 * listener P0 127.0.0.1
 * allow_anonymous true
 * password_file PW        (viewer)
 * listener P1 127.0.0.1
 * protocol http
 * </pre>
 */
class DashboardTest {

    private static final Pattern RESULT = Pattern.compile("\\{\"ok\":true,\"topics\":(\\d+),\"ratePoints\":(\\d+),\"maxInRate\":([0-9.]+)}");

    @TempDir
    Path tmp;

    @Test
    @Timeout(150)
    void loadsShowsAMosquittoPubTopicAndChartsTheRate() throws Exception {
        assumeFalse(BrokerProcess.isMosquitto(), "protocol http is Midge's");
        TestFiles.shareDir(tmp);
        Path passwords = TestFiles.mosquittoPasswd(tmp.resolve("passwords"), true, "viewer", "view");
        int[] ports = BrokerProcess.freePorts(2);
        Path module = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();
        Path screenshot = Files.createDirectories(module.resolve("target/dashboard")).resolve("dashboard.png");
        Files.deleteIfExists(screenshot);
        String topic = "home/kitchen/" + Ids.topic("sensor") + "/temperature";
        try (BrokerProcess broker = BrokerProcess.startConfig(List.of(
                "listener " + ports[0] + " 127.0.0.1",
                "allow_anonymous true",
                "password_file " + passwords,
                "listener " + ports[1] + " 127.0.0.1",
                "protocol http"), ports);
             Paho publisher = Paho.connect(ports[0], Ids.client("dash-pub"), true)) {
            for (int room = 0; room < 20; room++) {
                for (int sensor = 0; sensor < 10; sensor++) {
                    publisher.publish("home/room" + room + "/sensor" + sensor, "{\"t\":" + (20 + sensor) + "}", 0, true);
                }
            }
            Command.Outcome published = Command.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                    Integer.toString(ports[0]), "-t", topic, "-m", "21.5", "-r", "-q", "1"));
            assertEquals(0, published.code(), published.output());

            AtomicBoolean running = new AtomicBoolean(true);
            Thread load = new Thread(() -> {
                for (int i = 0; running.get() && i < 20_000; i++) {
                    publisher.publish("load/" + (i % 50), "tick " + i, 0, false);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "dashboard-load");
            load.setDaemon(true);
            load.start();
            String out;
            try {
                out = runDashboard(module, broker.dir(), "http://127.0.0.1:" + ports[1] + "/", topic, screenshot);
            } finally {
                running.set(false);
                load.join(5_000);
            }
            Matcher result = RESULT.matcher(out);
            assertTrue(result.find(), "dashboard.mjs succeeded:\n" + out);
            assertTrue(Integer.parseInt(result.group(1)) >= 201, "the tree holds the 200 retained topics and mosquitto_pub's: " + out);
            assertTrue(Files.size(screenshot) > 10_000, "a screenshot was kept: " + screenshot);
            publisher.publish(topic, "", 1, true);
        }
    }

    private static String runDashboard(Path module, Path runDir, String url, String topic, Path screenshot) throws Exception {
        if (!Files.isDirectory(module.resolve("node_modules/playwright-core"))) {
            fail("src-it/node_modules lacks playwright-core: run `npm ci` in " + module + " (./run-tests does)");
        }
        if (!Files.isExecutable(Paths.get("/usr/bin/chromium"))) {
            fail("/usr/bin/chromium is missing: apt-get install chromium (./run-tests does)");
        }
        Path log = runDir.resolve("dashboard.out");
        Process node = new ProcessBuilder("node", module.resolve("src/test/js/dashboard.mjs").toString(), url,
                "viewer", "view", topic, "21.5", screenshot.toString())
                .directory(module.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        node.getOutputStream().close();
        if (!node.waitFor(120, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("dashboard.mjs did not finish within 120 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
