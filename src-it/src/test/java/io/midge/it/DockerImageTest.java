package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image's parts, without a container runtime: the Dockerfile's declared layout
 * (eclipse-mosquitto's), the entry point run against a directory standing in for /mosquitto,
 * the health check probe against a real broker, and the image's two configurations.
 */
class DockerImageTest {

    private static final Path DOCKER = Command.REPO.resolve("docker");
    private static final Duration START = Duration.ofSeconds(30);

    @Test
    void theDockerfileDeclaresMosquittosLayout() throws IOException {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile"));
        for (String expected : List.of(
                "VOLUME [\"/mosquitto/data\", \"/mosquitto/log\"]",
                "EXPOSE 1883 9001",
                "ENTRYPOINT [\"/docker-entrypoint.sh\"]",
                "CMD [\"/usr/bin/midge\", \"-c\", \"/mosquitto/config/mosquitto.conf\"]",
                "COPY docker/mosquitto.conf /mosquitto/config/mosquitto.conf",
                "COPY docker/docker-entrypoint.sh docker/mosquitto-no-auth.conf /",
                "COPY conf/jvm.options /usr/share/midge/jvm.options",
                "COPY packaging/midge /usr/bin/midge")) {
            assertTrue(lines.contains(expected), "Dockerfile has " + expected);
        }
        String text = String.join("\n", lines);
        assertTrue(text.contains("groupadd --system --gid 1883 mosquitto"), "group mosquitto 1883");
        assertTrue(text.contains("useradd --system --uid 1883 --gid mosquitto"), "user mosquitto 1883");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("HEALTHCHECK ") && l.endsWith("CMD [\"/usr/bin/midge-healthcheck\"]")));
        // As mosquitto's image: it starts as root, the broker drops to mosquitto itself.
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("USER ")), "no USER");
        assertTrue(lines.stream().filter(l -> l.startsWith("FROM ")).count() == 2, "multi-stage");
        for (String ignored : List.of("**/target/", ".git", "src-it/node_modules/")) {
            assertTrue(Files.readAllLines(Command.REPO.resolve(".dockerignore")).contains(ignored), ".dockerignore has " + ignored);
        }
    }

    @Test
    void theEntryPointHandsMosquittoItsDirectoriesAndRunsTheCommand(@TempDir Path tmp) throws IOException {
        assumeTrue("0".equals(Command.run(List.of("id", "-u")).output().trim()), "chown needs root");
        assumeTrue(Command.run(List.of("id", "-u", "mosquitto")).code() == 0, "needs user mosquitto (Debian's mosquitto package)");
        String mosquittoUid = Command.run(List.of("id", "-u", "mosquitto")).output().trim();
        Path fakeRoot = TestFiles.shareDir(tmp.resolve("root"));
        Path mosquittoDir = fakeRoot.resolve("mosquitto");
        Files.createDirectories(mosquittoDir.resolve("config"));
        Files.createDirectories(mosquittoDir.resolve("data"));
        Files.writeString(mosquittoDir.resolve("config/mosquitto.conf"), "listener 1883\n");
        Path entrypoint = tmp.resolve("docker-entrypoint.sh");
        Files.writeString(entrypoint, Files.readString(DOCKER.resolve("docker-entrypoint.sh"))
                .replace(" /mosquitto", " " + mosquittoDir).replace("\"/mosquitto\"", "\"" + mosquittoDir + "\""));

        Command.Outcome run = Command.run(List.of("sh", entrypoint.toString(), "sh", "-c", "echo ran with \"$0\" as $(id -u)", "arg"));

        assertEquals(new Command.Outcome(0, "ran with arg as 0\n"), run);
        for (Path p : List.of(mosquittoDir, mosquittoDir.resolve("config"), mosquittoDir.resolve("config/mosquitto.conf"),
                mosquittoDir.resolve("data"))) {
            assertEquals(mosquittoUid, Files.getAttribute(p, "unix:uid").toString(), p + " owned by mosquitto");
        }
        assertEquals(0, (int) Files.getAttribute(fakeRoot, "unix:uid"), "nothing outside /mosquitto changes owner");
    }

    @Test
    void theHealthCheckIsHealthyOnlyWhenTheBrokerAnswersConnect() {
        int[] ports = BrokerProcess.freePorts(2);
        Command.Outcome closed = healthcheck(Map.of(), Integer.toString(ports[0]));
        assertEquals(new Command.Outcome(1, "unhealthy: no connection to 127.0.0.1:" + ports[0] + "\n"), closed);
        try (BrokerProcess open = BrokerProcess.startConfig(List.of(
                     "listener " + ports[0] + " 127.0.0.1", "allow_anonymous true"), ports[0]);
             BrokerProcess passwordsOnly = BrokerProcess.startConfig(List.of(
                     "listener " + ports[1] + " 127.0.0.1", "allow_anonymous false"), ports[1])) {
            assertEquals(new Command.Outcome(0, ""), healthcheck(Map.of(), Integer.toString(ports[0])));
            // A broker refusing anonymous clients still answers, with CONNACK 5: it is alive.
            assertEquals(new Command.Outcome(0, ""), healthcheck(Map.of(), Integer.toString(ports[1])));
        }
    }

    @Test
    void theHealthCheckProbesTheConfigsFirstPlainMqttListener(@TempDir Path tmp) throws IOException {
        int[] ports = BrokerProcess.freePorts(2);
        List<String> config = List.of(
                "listener " + ports[0] + " 127.0.0.1", "protocol websockets",
                "listener " + ports[1] + " 127.0.0.1",
                "allow_anonymous true");
        Path configFile = TestFiles.write(tmp.resolve("mosquitto.conf"), config.toArray(String[]::new));
        Map<String, String> env = Map.of("MIDGE_CONFIG", configFile.toString());
        assertEquals(1, healthcheck(env).code(), "nothing listening yet");
        try (BrokerProcess b = BrokerProcess.startConfig(config, ports)) {
            assertEquals(new Command.Outcome(0, ""), healthcheck(env));
        }
    }

    @Test
    void theDefaultConfigIsLocalOnly() throws IOException {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path data = launch.writableDir("data");
        // The config's paths moved into the run's directory; -p instead of local only mode's 1883.
        launch.config(Files.readAllLines(DOCKER.resolve("mosquitto.conf")).stream()
                .map(l -> l.replace("/mosquitto/data/", data + "/").replace("/mosquitto/log/", launch.dir() + "/"))
                .toList()).args("-p", Integer.toString(port));
        try (BrokerProcess b = launch.startAndAwait(port)) {
            b.awaitLog(" running", START);
            assertTrue(LogLines.of(b.logText()).contains(
                    "Starting in local only mode. Connections will only be possible from clients running on this machine."),
                    b.tail(20));
            assertTrue(Tcp.accepts("127.0.0.1", port));
            for (InetAddress address : Tcp.nonLoopbackAddresses()) {
                assertFalse(Tcp.accepts(address.getHostAddress(), port), "not on " + address.getHostAddress());
            }
            try (RawClient c = RawClient.connect(port, Ids.client("docker-local"))) {
                c.ping();
            }
        }
    }

    @Test
    void theNoAuthConfigLetsAnonymousClientsInOnEveryInterface() throws IOException {
        int port = BrokerProcess.freePorts(1)[0];
        List<String> config = Files.readAllLines(DOCKER.resolve("mosquitto-no-auth.conf")).stream()
                .map(l -> l.equals("listener 1883") ? "listener " + port : l).toList();
        assertTrue(config.contains("listener " + port), "the file has `listener 1883`");
        try (BrokerProcess b = BrokerLaunch.create().config(config).startAndAwait(port);
             RawClient c = RawClient.connect(port, Ids.client("docker-noauth"))) {
            c.ping();
            for (InetAddress address : Tcp.nonLoopbackAddresses()) {
                assertTrue(Tcp.accepts(address.getHostAddress(), port), "on " + address.getHostAddress());
            }
        }
    }

    private static Command.Outcome healthcheck(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(DOCKER.resolve("midge-healthcheck").toString()));
        cmd.addAll(List.of(args));
        // Not the image's config path, which may exist on the host.
        Map<String, String> withConfig = new HashMap<>(Map.of("MIDGE_CONFIG", "/nonexistent"));
        withConfig.putAll(env);
        return Command.run(cmd, withConfig);
    }
}
