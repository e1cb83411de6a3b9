package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two brokers: a local one whose config has a {@code connection} block to a remote one. Either
 * may be the broker under test ({@link BrokerProcess#startConfig}) or Debian's mosquitto
 * ({@link BrokerProcess#startMosquittoConfig}), as the {@link Topology} says. Each pair has its
 * own ports and run directories; a test class may share one pair between its tests
 * ({@link SharedPairs}), each test then using topics of its own.
 *
 * <p>Every bridge gets {@code restart_timeout 1} and {@code keepalive_interval 5} (mosquitto's
 * lowest: it raises anything below 5 to 5) unless the test's own lines set them, so reconnects
 * stay within a second or two.
 */
final class BridgedPair implements AutoCloseable {

    /** Which broker plays which end of the bridge. */
    enum Topology {
        /** The broker under test bridging to another broker under test (Midge ↔ Midge). */
        SAME(false, false),
        /** The broker under test bridging to Debian's mosquitto. */
        TO_MOSQUITTO(false, true),
        /** Debian's mosquitto bridging into the broker under test. */
        FROM_MOSQUITTO(true, false);

        final boolean localIsMosquitto;
        final boolean remoteIsMosquitto;

        Topology(boolean localIsMosquitto, boolean remoteIsMosquitto) {
            this.localIsMosquitto = localIsMosquitto;
            this.remoteIsMosquitto = remoteIsMosquitto;
        }

        /** True when the remote end is mosquitto, in this run (with {@code -Dit.broker=mosquitto} every end is). */
        boolean remoteRunsMosquitto() {
            return remoteIsMosquitto || BrokerProcess.isMosquitto();
        }

        boolean localRunsMosquitto() {
            return localIsMosquitto || BrokerProcess.isMosquitto();
        }
    }

    final Topology topology;
    final String name;
    final int localPort;
    final int remotePort;
    private final List<String> localConfig;
    private final List<String> remoteConfig;
    private BrokerProcess local;
    private BrokerProcess remote;

    private BridgedPair(Topology topology, String name, int localPort, int remotePort,
                        List<String> localConfig, List<String> remoteConfig) {
        this.topology = topology;
        this.name = name;
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.localConfig = localConfig;
        this.remoteConfig = remoteConfig;
    }

    static Builder builder(Topology topology, String name) {
        return new Builder(topology, name);
    }

    /** Builds the two config files; {@link #start()} or the single-end starts run them. */
    static final class Builder {
        private final Topology topology;
        private final String name;
        private final List<String> bridge = new ArrayList<>();
        private final List<List<String>> moreConnections = new ArrayList<>();
        private final List<String> localExtra = new ArrayList<>();
        private final List<String> remoteExtra = new ArrayList<>();
        private List<String> remoteListener;
        private List<String> addresses;
        private int remotePort;

        private Builder(Topology topology, String name) {
            this.topology = topology;
            this.name = name;
        }

        /** Lines of the {@code connection} block (topics and options), after {@code connection} and {@code address}. */
        Builder bridge(String... lines) {
            bridge.addAll(List.of(lines));
            return this;
        }

        /**
         * A further {@code connection} block on the same local broker to the same remote, after the
         * first: several bridges whose options differ can share one pair of brokers.
         */
        Builder connection(String connectionName, String... lines) {
            List<String> block = new ArrayList<>();
            block.add(connectionName);
            block.addAll(List.of(lines));
            moreConnections.add(block);
            return this;
        }

        /** Global lines of the local broker's config, before its {@code connection} block. */
        Builder local(String... lines) {
            localExtra.addAll(List.of(lines));
            return this;
        }

        /** Lines of the remote broker's config after its listener and {@code allow_anonymous true}. */
        Builder remote(String... lines) {
            remoteExtra.addAll(List.of(lines));
            return this;
        }

        /** Lines that follow the remote's {@code listener PORT 127.0.0.1} line (e.g. TLS files). */
        Builder remoteListener(String... lines) {
            remoteListener = List.of(lines);
            return this;
        }

        /** Replaces the {@code address 127.0.0.1:REMOTE} line; {@code %REMOTE%} is the remote's port. */
        Builder addresses(String line) {
            addresses = List.of(line);
            return this;
        }

        /** The remote's port, when the test needs it before building (default: a free port). */
        Builder remotePort(int port) {
            remotePort = port;
            return this;
        }

        BridgedPair build() {
            int[] ports = BrokerProcess.freePorts(2);
            int rport = remotePort != 0 ? remotePort : ports[1];
            List<String> remoteConf = new ArrayList<>();
            remoteConf.add("listener " + rport + " " + BrokerProcess.HOST);
            if (remoteListener != null) {
                remoteConf.addAll(remoteListener);
            }
            remoteConf.add("allow_anonymous true");
            remoteConf.addAll(remoteExtra);

            List<String> localConf = new ArrayList<>();
            localConf.add("listener " + ports[0] + " " + BrokerProcess.HOST);
            localConf.add("allow_anonymous true");
            localConf.addAll(localExtra);
            connectionBlock(localConf, name, addresses, bridge, rport);
            for (List<String> more : moreConnections) {
                connectionBlock(localConf, more.get(0), null, more.subList(1, more.size()), rport);
            }
            return new BridgedPair(topology, name, ports[0], rport, localConf, remoteConf);
        }

        private static void connectionBlock(List<String> conf, String connectionName, List<String> addresses,
                                            List<String> lines, int rport) {
            conf.add("connection " + connectionName);
            if (addresses == null) {
                conf.add("address " + BrokerProcess.HOST + ":" + rport);
            } else {
                for (String a : addresses) {
                    conf.add(a.replace("%REMOTE%", Integer.toString(rport)));
                }
            }
            if (lines.stream().noneMatch(l -> l.startsWith("restart_timeout"))) {
                conf.add("restart_timeout 1");
            }
            if (lines.stream().noneMatch(l -> l.startsWith("keepalive_interval"))) {
                conf.add("keepalive_interval 5");
            }
            conf.addAll(lines);
        }

        /** Starts the remote, then the local broker (whose bridge then connects at once). */
        BridgedPair start() {
            BridgedPair pair = build();
            try {
                pair.startRemote();
                pair.startLocal();
            } catch (RuntimeException | Error e) {
                pair.close();
                throw e;
            }
            return pair;
        }
    }

    void startRemote() {
        remote = topology.remoteIsMosquitto
                ? BrokerProcess.startMosquittoConfig(remoteConfig, remotePort)
                : BrokerProcess.startConfig(remoteConfig, remotePort);
    }

    void startLocal() {
        local = topology.localIsMosquitto
                ? BrokerProcess.startMosquittoConfig(localConfig, localPort)
                : BrokerProcess.startConfig(localConfig, localPort);
    }

    BrokerProcess local() {
        return local;
    }

    BrokerProcess remote() {
        return remote;
    }

    /** SIGTERM to the remote, then the same remote started again (same port, directory and store). */
    void restartRemote(boolean kill) {
        if (kill) {
            remote.kill();
        } else {
            remote.close();
        }
        remote = remote.restart();
    }

    void stopRemote() {
        remote.close();
    }

    /** Starts the remote again after {@link #stopRemote()}. */
    void resumeRemote() {
        remote = remote.restart();
    }

    void restartLocal() {
        local.close();
        local = local.restart();
    }

    void killLocal() {
        local.kill();
    }

    /** The default {@code remote_clientid}: {@code <hostname>.<connection name>}, as mosquitto makes it. */
    String defaultRemoteClientId() {
        return hostname() + "." + name;
    }

    /** The default notification topic of this bridge. */
    String stateTopic() {
        return stateTopic(name);
    }

    /** The default notification topic of the bridge {@code connectionName} of this pair's local broker. */
    static String stateTopic(String connectionName) {
        return "$SYS/broker/connection/" + hostname() + "." + connectionName + "/state";
    }

    /** The host name as gethostname(2) gives it, which mosquitto puts in the default remote client id. */
    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
        if (remote != null) {
            remote.close();
        }
    }
}
