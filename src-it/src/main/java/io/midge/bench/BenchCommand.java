package io.midge.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code midge bench SCENARIO [options]}: an MQTT 3.1.1 (or, with {@code --mqtt5}, MQTT 5) load generator that checks every message
 * it gets back. Exit code 0 when every check passed, 1 when one failed (loss at QoS 1/2,
 * duplicates, reordering, protocol errors, dropped connections), 3 when the run could not be
 * carried out (connections refused or not answered), 2 for bad options.
 */
@Command(name = "midge bench", mixinStandardHelpOptions = true, version = "midge bench 0.1",
        description = {"MQTT load generator: publishes numbered messages, checks what comes back.",
                "Loopback brokers only."},
        subcommands = {BenchCommand.FanIn.class, BenchCommand.FanOut.class, BenchCommand.P2p.class,
                BenchCommand.Latency.class, BenchCommand.Conns.class,
                BenchCommand.Storm.class})
public final class BenchCommand implements Runnable {

    static final int EXIT_OK = 0, EXIT_CHECK_FAILED = 1, EXIT_NOT_RUN = 3;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        NettySetup.init();
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a scenario is required: fanin, fanout, p2p, latency, conns or storm");
    }

    // ---- options ------------------------------------------------------------------------------

    static final class ConnectionOptions {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--host", defaultValue = "127.0.0.1",
                description = "broker address, loopback only (default: ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", defaultValue = "1883", description = "broker port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--threads", defaultValue = "0",
                description = "client event loop threads; 0 picks 1 on machines of up to 4 cores (the broker needs"
                        + " them), else 2 (default: ${DEFAULT-VALUE})")
        int threads;

        int threads() {
            if (threads < 0) {
                throw new ParameterException(mixee.commandLine(), "--threads must not be negative");
            }
            return threads > 0 ? threads : Runtime.getRuntime().availableProcessors() <= 4 ? 1 : 2;
        }

        @Option(names = "--concurrency", defaultValue = "200",
                description = "handshakes in progress at once while connecting (default: ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--connect-timeout", defaultValue = "30",
                description = "seconds for all connections to be ready (default: ${DEFAULT-VALUE})")
        double connectTimeout;

        @Option(names = "--json", description = "print one JSON result line on stdout (the table goes to stderr)")
        boolean json;

        @Option(names = "--mqtt5", description = "connect with MQTT 5 instead of 3.1.1; a publisher's window is then"
                + " at most the broker's CONNACK receive maximum")
        boolean mqtt5;

        /** The broker's address, refused unless it is a loopback address. */
        InetSocketAddress broker() {
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new ParameterException(mixee.commandLine(), "unknown host " + host);
            }
            if (!address.isLoopbackAddress()) {
                throw new ParameterException(mixee.commandLine(), "refusing " + host + " (" + address.getHostAddress()
                        + "): the benchmark only runs against a broker on this machine's loopback interface");
            }
            if (port < 1 || port > 65535) {
                throw new ParameterException(mixee.commandLine(), "port must be 1..65535");
            }
            return new InetSocketAddress(address, port);
        }
    }

    static final class LoadOptions {
        @Option(names = "--qos", defaultValue = "0", description = "QoS of publishes and subscriptions: 0, 1, 2 (default: ${DEFAULT-VALUE})")
        int qos;

        @Option(names = "--payload", defaultValue = "64",
                description = "payload bytes, at least 16 (default: ${DEFAULT-VALUE})")
        int payload;

        @Option(names = "--duration", defaultValue = "10", description = "measured seconds (default: ${DEFAULT-VALUE})")
        double duration;

        @Option(names = "--warmup", defaultValue = "2",
                description = "seconds of publishing before measuring (default: ${DEFAULT-VALUE})")
        double warmup;

        @Option(names = "--inflight", defaultValue = "100",
                description = "QoS 1/2 publishes a publisher may have unacknowledged (default: ${DEFAULT-VALUE})")
        int inflight;

        @Option(names = "--drain", defaultValue = "10",
                description = "longest wait in seconds for messages still on their way after publishing stops (default: ${DEFAULT-VALUE})")
        double drain;

        @Option(names = "--subscriber-port", defaultValue = "0",
                description = "subscribers connect to this port of the same host instead: the far end of a bridge"
                        + " that forwards the topic prefix (default: the broker's port)")
        int subscriberPort;

        @Option(names = "--prefix", defaultValue = "bench", description = "topic prefix (default: ${DEFAULT-VALUE})")
        String prefix;

        @Option(names = "--persistent",
                description = "subscribers connect with clean session 0: a broker with persistence stores what they receive")
        boolean persistent;
    }

    /** The message-moving scenarios share everything but their client counts. */
    abstract static class LoadCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;
        @Mixin
        LoadOptions load;

        abstract Scenario scenario();

        abstract int publishers();

        abstract int subscribers();

        abstract double rate();

        /** Null unless the scenario's subscribers share one subscription. */
        String shareGroup() {
            return null;
        }

        @Override
        public Integer call() throws InterruptedException {
            return execute(spec, connection.json, scenario().label(), () -> {
                InetSocketAddress broker = connection.broker();
                InetSocketAddress subscriberBroker = load.subscriberPort == 0 ? broker
                        : new InetSocketAddress(broker.getAddress(), load.subscriberPort);
                return new LoadSpec(scenario(), broker, load.qos, load.payload, load.duration, load.warmup,
                        publishers(), subscribers(), load.inflight, rate(), connection.threads(), load.drain,
                        load.prefix, connection.connectTimeout, connection.concurrency, load.persistent)
                        .withSubscriberBroker(subscriberBroker)
                        .withMqtt5(connection.mqtt5)
                        .withShareGroup(shareGroup());
            }, LoadRun::run);
        }
    }

    /** What runs a scenario's spec. */
    interface ScenarioRun<S> {
        BenchResult run(S spec) throws BenchException, InterruptedException;
    }

    /**
     * Builds the spec (a refused value is a usage error, exit 2), runs it and reports the result;
     * a run that could not be carried out is one line on stderr and {@link #EXIT_NOT_RUN}.
     */
    static <S> int execute(CommandSpec spec, boolean json, String scenario, Supplier<S> build, ScenarioRun<S> run)
            throws InterruptedException {
        S built;
        try {
            built = build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            return report(spec, json, run.run(built));
        } catch (BenchException e) {
            spec.commandLine().getErr().println("midge bench " + scenario + ": " + e.getMessage());
            return EXIT_NOT_RUN;
        }
    }

    static int report(CommandSpec spec, boolean json, BenchResult result) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            err.println(result.table());
            err.flush();
            out.println(result.json());
        } else {
            out.println(result.table());
        }
        out.flush();
        return result.ok() ? EXIT_OK : EXIT_CHECK_FAILED;
    }

    // ---- scenarios ----------------------------------------------------------------------------

    @Command(name = "fanin", mixinStandardHelpOptions = true,
            description = "P publishers on PREFIX/<i>, one subscriber on PREFIX/#.")
    static final class FanIn extends LoadCommand {
        @Option(names = "--publishers", defaultValue = "4", description = "publishers (default: ${DEFAULT-VALUE})")
        int publishers;

        @Option(names = "--rate", defaultValue = "0",
                description = "total messages per second, 0 for as fast as the window allows (default: ${DEFAULT-VALUE})")
        double rate;

        Scenario scenario() { return Scenario.FANIN; }
        int publishers() { return publishers; }
        int subscribers() { return 1; }
        double rate() { return rate; }
    }

    @Command(name = "fanout", mixinStandardHelpOptions = true,
            description = "One publisher on PREFIX/0, S subscribers on PREFIX/0 (with --shared, one shared subscription).")
    static final class FanOut extends LoadCommand {
        @Option(names = "--subscribers", defaultValue = "4", description = "subscribers (default: ${DEFAULT-VALUE})")
        int subscribers;

        @Option(names = "--rate", defaultValue = "0",
                description = "messages per second, 0 for as fast as the window allows (default: ${DEFAULT-VALUE})")
        double rate;

        @Option(names = "--shared", paramLabel = "GROUP",
                description = "subscribers share one subscription, $share/GROUP/PREFIX/0: each message goes to one of"
                        + " them, and is checked to arrive exactly once across the group")
        String shared;

        Scenario scenario() { return Scenario.FANOUT; }
        int publishers() { return 1; }
        int subscribers() { return subscribers; }
        double rate() { return rate; }
        @Override
        String shareGroup() { return shared; }
    }

    @Command(name = "p2p", mixinStandardHelpOptions = true,
            description = "N publisher/subscriber pairs, pair i on PREFIX/<i>.")
    static final class P2p extends LoadCommand {
        @Option(names = "--pairs", defaultValue = "4", description = "pairs (default: ${DEFAULT-VALUE})")
        int pairs;

        @Option(names = "--rate", defaultValue = "0",
                description = "total messages per second, 0 for as fast as the window allows (default: ${DEFAULT-VALUE})")
        double rate;

        Scenario scenario() { return Scenario.P2P; }
        int publishers() { return pairs; }
        int subscribers() { return pairs; }
        double rate() { return rate; }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true,
            description = {"N pairs as in p2p at a fixed total rate: latency percentiles.",
                    "Publish-to-delivery latency in microseconds; the send time is when the message was written."})
    static final class Latency extends LoadCommand {
        @Option(names = "--pairs", defaultValue = "4", description = "pairs (default: ${DEFAULT-VALUE})")
        int pairs;

        @Option(names = "--rate", defaultValue = "1000",
                description = "total messages per second (default: ${DEFAULT-VALUE})")
        double rate;

        Scenario scenario() { return Scenario.LATENCY; }
        int publishers() { return pairs; }
        int subscribers() { return pairs; }

        double rate() {
            if (rate <= 0) {
                throw new ParameterException(spec.commandLine(), "latency needs a --rate above 0");
            }
            return rate;
        }
    }

    @Command(name = "conns", mixinStandardHelpOptions = true,
            description = {"C idle connections at once: connect rate, broker memory per connection.",
                    "Connections are opened as fast as the broker takes them; memory is the broker's VmRSS",
                    "(/proc/PID/status) after minus before, per connection."})
    static final class Conns implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;

        @Option(names = "--connections", defaultValue = "1000", description = "connections (default: ${DEFAULT-VALUE})")
        int connections;

        @Option(names = "--duration", defaultValue = "2",
                description = "seconds to hold the connections before reading VmRSS (default: ${DEFAULT-VALUE})")
        double hold;

        @Option(names = "--broker-pid", defaultValue = "0",
                description = "broker process for VmRSS; 0 finds the process listening on --port, -1 skips (default: ${DEFAULT-VALUE})")
        long brokerPid;

        @Override
        public Integer call() throws InterruptedException {
            return execute(spec, connection.json, "conns", () -> new ConnsSpec(connection.broker(), connections,
                    connection.threads(), connection.concurrency, hold, connection.connectTimeout, brokerPid,
                    connection.mqtt5), ConnsRun::run);
        }
    }

    @Command(name = "storm", mixinStandardHelpOptions = true,
            description = {"A reconnect storm: N connections at once to a broker started S seconds earlier.",
                    "With --broker-cmd the benchmark starts the broker itself and also reports start to first CONNACK;",
                    "without it the broker on --port is used as it is. Reports time to all connected, CONNACK p50/p99,",
                    "the broker's CPU time during the storm and its VmRSS before, after and per connection.",
                    "--connections 0 measures only the start and the idle VmRSS S seconds after it."})
    static final class Storm implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;

        @Option(names = "--connections", defaultValue = "19000", description = "connections (default: ${DEFAULT-VALUE})")
        int connections;

        @Option(names = "--broker-cmd", paramLabel = "COMMAND",
                description = "shell command starting the broker in the foreground; {port} is replaced by --port")
        String brokerCommand;

        @Option(names = "--broker-log", paramLabel = "FILE", description = "the started broker's output (default: discarded)")
        Path brokerLog;

        @Option(names = "--start-after", defaultValue = "2",
                description = "seconds from the broker's start to the storm (default: ${DEFAULT-VALUE})")
        double startAfter;

        @Option(names = "--window", defaultValue = "1000",
                description = "handshakes outstanding at a time (default: ${DEFAULT-VALUE})")
        int window;

        @Option(names = "--per-source", defaultValue = "1000",
                description = "connections per loopback source address (default: ${DEFAULT-VALUE})")
        int perSource;

        @Option(names = "--self-warmup", defaultValue = "2000",
                description = "handshakes (x3) the generator makes against a stub of its own first (default: ${DEFAULT-VALUE})")
        int selfWarmup;

        @Option(names = "--duration", defaultValue = "5",
                description = "seconds to hold the connections before reading VmRSS (default: ${DEFAULT-VALUE})")
        double hold;

        @Override
        public Integer call() throws InterruptedException {
            return execute(spec, connection.json, "storm", () -> new StormSpec(connection.broker(), brokerCommand,
                    brokerLog, connections, startAfter, window, connection.threads(), hold, connection.connectTimeout,
                    perSource, selfWarmup, connection.mqtt5), StormRun::run);
        }
    }
}
