package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Running as a service: systemd's notify protocol, the {@code user} option of a broker started as
 * root, and a SIGTERM under load.
 */
class ServiceTest {

    static final Duration LIMIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readyIsNotifiedOnceTheListenerAcceptsThenReloadingAndStopping(boolean abstractSocket) throws Exception {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        String name = abstractSocket
                ? "@midge-it-notify-" + ProcessHandle.current().pid() + "-" + port
                : launch.dir().resolve("notify.sock").toString();
        try (NotifySocket systemd = NotifySocket.bind(name)) {
            if (!abstractSocket) {
                // systemd's own socket is writable by any service user; the broker gives up root before READY=1.
                Files.setPosixFilePermissions(Path.of(name), PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            AtomicReference<String> connackAtReady = new AtomicReference<>();
            systemd.onMessage(message -> {
                if (message.equals("READY=1") && connackAtReady.get() == null) {
                    connackAtReady.set(connackOf(port));
                }
            });
            try (BrokerProcess broker = launch.env("NOTIFY_SOCKET", systemd.name())
                    .config(List.of("listener " + port + " 127.0.0.1", "allow_anonymous true")).start()) {
                assertEquals("READY=1", systemd.next(LIMIT), broker.logText());
                assertEquals("CONNACK rc 0", connackAtReady.get(), "a client connecting right at READY=1 is served");
                assertTrue(broker.logText().contains("version") && broker.logText().contains(" running"),
                        broker.logText());
                if (!BrokerProcess.isMosquitto()) {
                    broker.signal("HUP");
                    String reloading = systemd.next(LIMIT);
                    assertNotNull(reloading, "RELOADING=1 on SIGHUP");
                    assertTrue(reloading.matches("RELOADING=1\nMONOTONIC_USEC=\\d+"), reloading);
                    assertEquals("READY=1", systemd.next(LIMIT), "READY=1 once reloaded");
                }
                broker.signal("TERM");
                if (!BrokerProcess.isMosquitto()) {
                    assertEquals("STOPPING=1", systemd.next(LIMIT));
                }
                assertEquals(0, broker.awaitExit(LIMIT), broker.logText());
            }
        }
    }

    @Test
    void withoutANotifySocketThatCanBeReachedTheBrokerStillStarts() throws Exception {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        try (BrokerProcess broker = launch.env("NOTIFY_SOCKET", launch.dir().resolve("nobody-listens.sock").toString())
                .config(List.of("listener " + port + " 127.0.0.1", "allow_anonymous true")).startAndAwait(port)) {
            RawClient.connect(port, Ids.client("no-systemd")).close();
            assertTrue(broker.isAlive());
        }
    }

    @Test
    void startedAsRootItBecomesTheConfiguredUserBeforeOpeningTheStore() throws Exception {
        assumeTrue(BrokerUser.isRoot(), "switching user needs root");
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path data = launch.writableDir("data");
        try (BrokerProcess broker = launch.config(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "user nobody",
                "persistence true",
                "persistence_location " + data + "/")).startAndAwait(port)) {
            // The port takes connections once bound; clients are served once the switch is made.
            try (RawClient subscriber = RawClient.connect(port, Ids.client("as-nobody-sub"))) {
                subscriber.subscribe("as/nobody", 1);
                try (RawClient publisher = RawClient.connect(port, Ids.client("as-nobody-pub"))) {
                    publisher.publish("as/nobody", 1, true, "served");
                }
                assertEquals("served", subscriber.nextPublish().payloadString());
            }
            List<String> status = Files.readAllLines(Path.of("/proc/" + broker.pid() + "/status"));
            assertTrue(status.contains("Uid:\t65534\t65534\t65534\t65534"), String.join("\n", status));
            assertTrue(status.contains("Gid:\t65534\t65534\t65534\t65534"), String.join("\n", status));
            if (!BrokerProcess.isMosquitto()) {
                try (var files = Files.list(data)) {
                    for (Path file : files.toList()) {
                        assertEquals("nobody", Files.getOwner(file).getName(), file + " belongs to the user");
                    }
                }
            }
        }
    }

    @Test
    void aUserThatDoesNotExistStopsTheStartAsInMosquitto() {
        assumeTrue(BrokerUser.isRoot(), "only a broker started as root switches user");
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch.Run run = BrokerLaunch.create().config(List.of(
                "listener " + port + " 127.0.0.1",
                "user midge-it-no-such-user")).run(LIMIT);

        assertEquals(1, run.code(), run.stderr());
        assertTrue(run.stderr().contains(
                "Error: Unable to drop privileges to 'midge-it-no-such-user' because this user does not exist."),
                run.stderr());
    }

    @Test
    void userRootStaysRootWithMosquittosWarning() throws Exception {
        assumeTrue(BrokerUser.isRoot(), "only a broker started as root switches user");
        int port = BrokerProcess.freePorts(1)[0];
        try (BrokerProcess broker = BrokerLaunch.create().config(List.of(
                "listener " + port + " 127.0.0.1", "allow_anonymous true", "user root")).startAndAwait(port)) {
            List<String> status = Files.readAllLines(Path.of("/proc/" + broker.pid() + "/status"));
            assertTrue(status.contains("Uid:\t0\t0\t0\t0"), String.join("\n", status));
            broker.awaitLog(" should not be run as root/administrator.", LIMIT);
        }
    }

    @Test
    void aStoreLeftByARootRunIsNamedWhenTheUserCannotWriteIt() throws Exception {
        assumeTrue(BrokerUser.isRoot(), "switching user needs root");
        assumeFalse(BrokerProcess.isMosquitto(), "Midge's store");
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path data = launch.writableDir("data");
        List<String> config = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1", "allow_anonymous true",
                "persistence true", "persistence_location " + data + "/"));
        List<String> asRoot = new ArrayList<>(config);
        asRoot.add("user root");
        try (BrokerProcess root = BrokerLaunch.create().config(asRoot).startAndAwait(port)) {
            root.signal("TERM");
            assertEquals(0, root.awaitExit(LIMIT), root.logText());
        }
        config.add("user nobody");
        BrokerLaunch.Run run = launch.config(config).run(LIMIT);

        assertEquals(1, run.code(), run.stderr());
        assertTrue(run.stderr().contains("Error: Unable to open persistence store " + data.resolve("midge.db")
                + ": " + data.resolve("midge.db") + " is not writable by the user the broker runs as"), run.stderr());
    }

    @Test
    void sigtermUnderLoadExitsZeroWithinAFewSeconds() throws Exception {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path data = launch.writableDir("data");
        try (BrokerProcess broker = launch.config(List.of(
                "listener " + port + " 127.0.0.1", "allow_anonymous true",
                "persistence true", "persistence_location " + data + "/")).startAndAwait(port)) {
            RawClient subscriber = RawClient.connect(port, Ids.client("load-sub"), false);
            subscriber.subscribe("load/#", 1);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            List<Thread> publishers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RawClient publisher = RawClient.connect(port, Ids.client("load-pub-" + i));
                byte[] payload = new byte[200];
                String topic = "load/" + i;
                Thread thread = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            publisher.send(Mqtt.publish(topic, 1, false, false, publisher.nextId(), payload));
                            sent.incrementAndGet();
                        } catch (RuntimeException closed) {
                            return;
                        }
                    }
                }, "load-" + i);
                thread.setDaemon(true);
                thread.start();
                publishers.add(thread);
            }
            Await.until(LIMIT, () -> sent.get() > 20_000, "the publishers are going flat out");
            long signalled = System.nanoTime();
            broker.signal("TERM");
            int code = broker.awaitExit(LIMIT);
            long tookMillis = (System.nanoTime() - signalled) / 1_000_000;
            stop.set(true);

            assertEquals(0, code, broker.tail(20));
            assertTrue(tookMillis < 5_000, "exited " + tookMillis + " ms after SIGTERM");
            assertTrue(broker.logText().contains(" terminating"), "the last line is written: " + broker.tail(5));
        }
    }

    /** Keep alive 0 too: such a connection is never timed out, yet shutdown must find and close it. */
    @ParameterizedTest
    @ValueSource(ints = {60, 0})
    void atShutdownTheWillsOfConnectedClientsArePublishedAsMosquittoDoes(int keepAlive) throws Exception {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path data = launch.writableDir("data");
        String subscriberId = Ids.client("will-watcher");
        BrokerProcess broker = launch.config(List.of(
                "listener " + port + " 127.0.0.1", "allow_anonymous true",
                "persistence true", "persistence_location " + data + "/")).startAndAwait(port);
        try {
            try (RawClient subscriber = RawClient.connect(port, subscriberId, false)) {
                subscriber.subscribe("shutdown/will", 1);
                subscriber.disconnect();
            }
            RawClient stillConnected = RawClient.connect(port,
                    Mqtt.connect(Ids.client("will-owner")).keepAlive(keepAlive)
                            .will("shutdown/will", "gone at shutdown", 1, false));
            broker.signal("TERM");
            assertEquals(0, broker.awaitExit(LIMIT), broker.tail(10));
            stillConnected.close();

            broker = broker.restart();
            try (RawClient subscriber = RawClient.connect(port, subscriberId, false)) {
                Packet will = subscriber.nextPublish(LIMIT);
                assertNotNull(will, "the will queued for the offline session at shutdown");
                assertEquals("gone at shutdown", will.payloadString());
            }
        } finally {
            broker.close();
        }
    }

    /** "CONNACK rc 0" if a client connecting now is served, else what happened. */
    private static String connackOf(int port) {
        try (RawClient client = RawClient.open(port)) {
            Packet connack = client.sendConnectQuietly(Mqtt.connect(Ids.client("at-ready")));
            if (connack == null) {
                return "no CONNACK";
            }
            return connack.type() == Mqtt.CONNACK ? "CONNACK rc " + RawClient.connackCode(connack) : connack.toString();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
