package io.midge.server.cli;

import io.midge.server.config.BrokerConfig;
import io.midge.server.config.ConfigException;
import io.midge.server.config.ConfigParser;
import io.midge.server.log.LoggingSetup;
import io.midge.server.net.MidgeServer;
import io.midge.server.net.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code midge [-c CONFIG] [-d] [-h] [-p PORT] [-v]}: the broker's command line, mosquitto's,
 * with its messages and exit codes.
 */
@Command(name = "midge", versionProvider = MidgeVersion.class, subcommands = {PasswdCommand.class, StoreCommand.class},
        description = "Midge, an MQTT 3.1.1 broker.")
public final class MidgeCommand implements Callable<Integer> {

    /** mosquitto's CMD_PORT_LIMIT. */
    private static final int MAX_PORTS = 10;
    private static final Logger log = LoggerFactory.getLogger("midge");

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

    public static void main(String[] args) {
        NettyDefaults.apply();
        LoggingSetup.bootstrap();
        CommandLine commandLine = new CommandLine(new MidgeCommand())
                .setParameterExceptionHandler(new UsageErrors());
        System.exit(commandLine.execute(args));
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
        return Daemon.isChild() && config.pidFile().isPresent() ? runWithPidFile(config, signals) : run(config, signals);
    }

    /** The background broker of -d: mosquitto writes pid_file then only, and removes it when it stops. */
    private int runWithPidFile(BrokerConfig config, Signals signals) throws InterruptedException {
        PidFile pidFile;
        try {
            pidFile = PidFile.write(config.pidFile().orElseThrow());
        } catch (IOException e) {
            log.error("Error: Unable to write pid file.");
            return ExitCodes.STARTUP_FAILED;
        }
        try (pidFile) {
            return run(config, signals);
        }
    }

    private int run(BrokerConfig config, Signals signals) throws InterruptedException {
        LoggingSetup logging = LoggingSetup.apply(config, verbose);
        log.info("midge version {} starting", MidgeVersion.VERSION);
        log.info(configFile != null ? "Config loaded from " + configFile + "." : "Using default config.");
        MidgeServer server;
        try {
            server = new MidgeServer(config);
        } catch (StartupException e) {
            log.error(e.getMessage());
            return e.exitCode();
        }
        try {
            server.start();
        } catch (StartupException e) {
            if (e.getMessage() != null) {
                log.error(e.getMessage());
            }
            server.close();
            return e.exitCode();
        }
        log.info("midge version {} running", MidgeVersion.VERSION);
        Daemon.detachIfChild();
        while (signals.next() == Signals.Event.RELOAD) {
            log.info("Reloading config.");
            logging.reopenFiles();
            server.reloadSecurityFiles();
        }
        log.info("midge version {} terminating", MidgeVersion.VERSION);
        server.close();
        return ExitCodes.OK;
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
