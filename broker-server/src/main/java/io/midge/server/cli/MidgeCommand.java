package io.midge.server.cli;

import io.midge.server.config.BrokerConfig;
import io.midge.server.config.ConfigException;
import io.midge.server.config.ConfigParser;
import io.midge.server.log.BrokerLogConfigurator;
import io.midge.server.log.LogMarkers;
import io.midge.server.log.LoggingSetup;
import io.midge.server.net.MidgeServer;
import io.midge.server.net.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code midge [-c CONFIG] [-d] [-h] [-p PORT] [-v]}: the broker's command line, mosquitto's,
 * with its messages and exit codes.
 */
@Command(name = "midge", versionProvider = MidgeVersion.class, subcommands = {PasswdCommand.class, StoreCommand.class, TrainingRunCommand.class,
        NativeLibrariesCommand.class},
        description = "Midge, an MQTT 3.1.1 broker.")
public final class MidgeCommand implements Callable<Integer> {

    /** mosquitto's CMD_PORT_LIMIT. */
    private static final int MAX_PORTS = 10;
    /** Not static: the class initialises before main can tell Logback who configures it. */
    private final Logger log = LoggerFactory.getLogger("midge");

    @Option(names = {"-c", "--config-file"}, paramLabel = "CONFIG")
    Path configFile;

    /** Text, not a number: mosquitto reads it with atoi, see {@link PortArgument}. */
    @Option(names = {"-p", "--port"}, paramLabel = "PORT")
    List<String> ports = new ArrayList<>();

    @Option(names = {"-v", "--verbose"})
    boolean verbose;

    @Option(names = {"-d", "--daemon"})
    boolean daemon;

    /** Handled here rather than by picocli: mosquitto prints its own layout and exits 3. */
    @Option(names = {"-h", "--help"})
    boolean help;

    @Option(names = "--version", versionHelp = true)
    boolean version;

    /** The training run's workload: run against the started broker, which then reloads and stops. */
    interface Training {
        void run() throws Exception;
    }

    /** Set by {@link TrainingRunCommand} only. */
    Training training;
    private volatile boolean trainingFailed;

    public static void main(String[] args) {
        BrokerLogConfigurator.claim();
        NettyDefaults.apply();
        LoggingSetup.bootstrap();
        MidgeCommand broker = BrokerArguments.parse(args);
        int exitCode = broker != null ? broker.callAsPicocliWould()
                : new CommandLine(new MidgeCommand()).setParameterExceptionHandler(new UsageErrors()).execute(args);
        // Asynchronous log destinations write what is still queued, such as the "terminating" line.
        LoggingSetup.flush();
        System.exit(exitCode);
    }

    /** {@link #call()}, with what picocli's execute does with an exception: its trace, exit code 1. */
    private int callAsPicocliWould() {
        try {
            return call();
        } catch (Exception e) {
            e.printStackTrace();
            return ExitCodes.SOFTWARE;
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (help) {
            Usage.print(System.out);
            return ExitCodes.INVALID;
        }
        List<Integer> portNumbers;
        try {
            portNumbers = portNumbers();
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage());
            return ExitCodes.INVALID;
        }
        if (daemon && !Daemon.isChild()) {
            return Daemon.startInBackground(argsWithoutDaemon());
        }
        Signals signals = Signals.install();
        BrokerConfig config;
        try {
            config = ConfigParser.fromCommandLine(configFile, portNumbers);
        } catch (ConfigException e) {
            log.error("Error: {}", e.getMessage());
            return ExitCodes.INVALID;
        }
        // Like mosquitto's, warnings about the configuration come while it is read: on stderr,
        // before the configured log destinations take over.
        config.warnings().forEach(warning -> log.warn("Warning: {}", warning));
        return runWithPidFile(config, signals);
    }

    /**
     * mosquitto 2.0 writes pid_file whenever it is set, with or without -d, and removes it when
     * it stops. It is written first, before logging starts and while still root.
     */
    private int runWithPidFile(BrokerConfig config, Signals signals) throws InterruptedException {
        if (config.pidFile().isEmpty()) {
            return run(config, signals);
        }
        PidFile pidFile;
        try {
            pidFile = PidFile.write(config.pidFile().get());
        } catch (IOException e) {
            log.error("Error: Unable to write pid file.");
            return ExitCodes.STARTUP_FAILED;
        }
        try (pidFile) {
            return run(config, signals);
        }
    }

    /**
     * Log files (opened by {@link LoggingSetup#apply}) and listeners are opened as the starting
     * user, then {@code user} takes effect, then the store is opened, so that a broker started as
     * root can bind port 1883 (or 883) and still keep its data as an ordinary user.
     */
    private int run(BrokerConfig config, Signals signals) throws InterruptedException {
        LoggingSetup logging = LoggingSetup.apply(config, verbose);
        log.info(LogMarkers.INFORMATION, "midge version {} starting", MidgeVersion.VERSION);
        log.info(LogMarkers.INFORMATION, configFile != null ? "Config loaded from " + configFile + "." : "Using default config.");
        SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
        MidgeServer server = new MidgeServer(config);
        server.onReloadRequest(() -> signals.raise(Signals.Event.RELOAD));
        try {
            server.start(() -> Privileges.dropTo(config.user(), filesToHandOver(config)));
        } catch (StartupException e) {
            if (e.getMessage() != null) {
                log.error(e.getMessage());
            }
            server.close();
            return e.exitCode();
        }
        logging.publishOnTopics(server.services().router());
        log.info(LogMarkers.INFORMATION, "midge version {} running", MidgeVersion.VERSION);
        systemd.ready();
        logging.drain();
        Daemon.detachIfChild();
        if (training != null) {
            startTraining(signals);
        }
        while (signals.next() == Signals.Event.RELOAD) {
            systemd.reloading();
            log.info(LogMarkers.INFORMATION, "Reloading config.");
            logging.reopenFiles();
            server.reloadSecurityFiles();
            server.reloadTlsContexts();
            systemd.ready();
        }
        systemd.stopping();
        log.info(LogMarkers.INFORMATION, "midge version {} terminating", MidgeVersion.VERSION);
        server.close();
        return trainingFailed ? ExitCodes.STARTUP_FAILED : ExitCodes.OK;
    }

    /** Runs the training workload beside the main thread, then a reload and a stop, as signals would. */
    private void startTraining(Signals signals) {
        Thread thread = new Thread(() -> {
            try {
                training.run();
            } catch (Exception e) {
                trainingFailed = true;
                System.err.println("midge training-run: " + e);
            } finally {
                signals.raise(Signals.Event.RELOAD);
                signals.raise(Signals.Event.TERMINATE);
            }
        }, "training");
        thread.setDaemon(true);
        thread.start();
    }

    /** The log file and the pid file, which the broker reopens or removes after giving up root. */
    private static List<Path> filesToHandOver(BrokerConfig config) {
        List<Path> files = new ArrayList<>();
        config.pidFile().ifPresent(files::add);
        config.logDests().forEach(dest -> dest.file().ifPresent(files::add));
        files.removeIf(file -> !Files.exists(file));
        return files;
    }

    private List<Integer> portNumbers() {
        if (ports.size() > MAX_PORTS) {
            throw new IllegalArgumentException("Error: Only " + MAX_PORTS + " ports can be specified on the command line.");
        }
        List<Integer> numbers = new ArrayList<>();
        for (String port : ports) {
            numbers.add(PortArgument.parse(port));
        }
        return numbers;
    }

    /** This command line for the background copy of -d: the same options, less -d. */
    private List<String> argsWithoutDaemon() {
        List<String> args = new ArrayList<>();
        if (configFile != null) {
            args.add("-c");
            args.add(configFile.toString());
        }
        for (String port : ports) {
            args.add("-p");
            args.add(port);
        }
        if (verbose) {
            args.add("-v");
        }
        return args;
    }
}
