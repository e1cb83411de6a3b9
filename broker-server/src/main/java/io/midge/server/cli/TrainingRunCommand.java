package io.midge.server.cli;

import picocli.CommandLine.Command;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code midge training-run}: the broker's own start, on loopback ports of its own with
 * persistence on, driven through every packet type by {@link TrainingClients}, then a reload and
 * a stop. The launchers run it once under -XX:ArchiveClassesAtExit (Java 17-24) or
 * -XX:AOTCacheOutput (Java 25+), so that every later start maps the classes it needs (and, on
 * 25+, their profiles) instead of loading them from the jar.
 */
@Command(name = "training-run", hidden = true,
        description = "Runs a private broker through a fixed workload and exits (for the class-data archive).")
final class TrainingRunCommand implements Callable<Integer> {

    /** Enough handshakes for every class of the connect and publish paths, in a few seconds. */
    private static final int CONNECTIONS = 2000;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("midge-training");
        try {
            int mqttPort = freePort();
            Path conf = dir.resolve("training.conf");
            Files.writeString(conf, String.join("\n",
                    "log_dest none",
                    // as root, stay root: the store is in a directory only the starting user owns
                    "user root",
                    "persistence true",
                    "persistence_location " + dir + "/",
                    "listener " + mqttPort + " 127.0.0.1",
                    "allow_anonymous true",
                    "listener " + freePort() + " 127.0.0.1",
                    "protocol websockets",
                    ""));
            MidgeCommand broker = new MidgeCommand();
            broker.configFile = conf;
            broker.training = () -> TrainingClients.run(mqttPort, CONNECTIONS);
            return broker.call();
        } finally {
            deleteTree(dir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
