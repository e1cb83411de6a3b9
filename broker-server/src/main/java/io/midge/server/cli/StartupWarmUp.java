package io.midge.server.cli;

import io.midge.server.config.BrokerConfig;
import io.midge.server.config.ConfigParser;
import io.midge.server.log.WarmUpSilence;
import io.midge.server.net.MidgeServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Right after the broker starts accepting, a private broker of its own (a loopback port nobody
 * is told about, no persistence, no $SYS, nothing logged: {@link WarmUpSilence}) is taken through
 * the connect and publish paths by {@link TrainingClients} for about a second, then closed. The
 * JIT compiles those paths from the profiles that leaves, so that clients reconnecting after a
 * restart meet compiled code sooner. Clients of the real broker see nothing of it but the CPU it
 * takes. {@code -Dmidge.warmUp=false} turns it off.
 */
final class StartupWarmUp {

    /** Sessions (connect, subscribe, QoS 0/1/2 both ways, retained, ping, unsubscribe, disconnect). */
    private static final int SESSIONS = 3000;
    private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1200);

    private StartupWarmUp() {}

    static boolean enabled() {
        return !"false".equals(System.getProperty("midge.warmUp"));
    }

    static void startInBackground() {
        Thread thread = new Thread(StartupWarmUp::run, WarmUpSilence.THREAD_PREFIX);
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private static void run() {
        MidgeServer server = null;
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path conf = Files.createTempFile("midge-warm-up", ".conf");
            BrokerConfig config;
            try {
                Files.write(conf, List.of("listener " + port + " 127.0.0.1", "allow_anonymous true",
                        "connection_messages false", "sys_interval 0", "persistence false"));
                config = ConfigParser.fromCommandLine(conf, List.of());
            } finally {
                Files.deleteIfExists(conf);
            }
            server = new MidgeServer(config, WarmUpSilence.THREAD_PREFIX);
            server.start(() -> { });
            TrainingClients.run(port, SESSIONS, System.nanoTime() + BUDGET_NANOS);
        } catch (IOException | RuntimeException | InterruptedException | io.midge.server.config.ConfigException
                 | io.midge.server.net.StartupException e) {
            // Only speed is at stake: the broker serves all the same.
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }
}
