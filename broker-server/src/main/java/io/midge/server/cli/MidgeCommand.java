package io.midge.server.cli;

import io.midge.server.config.BrokerConfig;
import io.midge.server.config.ConfigException;
import io.midge.server.config.ConfigParser;
import io.midge.server.log.LoggingSetup;
import io.midge.server.net.MidgeServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code midge [-c CONFIG] [-p PORT] [-v]}: the broker's command line, shaped like mosquitto's. */
@Command(name = "midge", mixinStandardHelpOptions = true, versionProvider = MidgeVersion.class,
        subcommands = PasswdCommand.class,
        description = "Midge, an MQTT 3.1.1 broker.")
public final class MidgeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config-file"}, paramLabel = "CONFIG", description = "mosquitto.conf-style configuration file.")
    Path configFile;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Port to listen on (loopback only when no config file is given). Default 1883.")
    Integer port;

    @Option(names = {"-v", "--verbose"}, description = "Log every packet (log_type all).")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MidgeCommand()).execute(args));
    }

    @Override
    public Integer call() {
        BrokerConfig config;
        try {
            config = ConfigParser.fromCommandLine(configFile, port == null ? java.util.List.of() : java.util.List.of(port));
        } catch (ConfigException e) {
            System.err.println("Error: " + e.getMessage());
            return 1;
        }
        LoggingSetup.apply(config, verbose);
        Logger log = LoggerFactory.getLogger("midge");
        log.info("midge version {} starting", MidgeVersion.VERSION);
        if (configFile != null) {
            log.info("Config loaded from {}.", configFile);
        }
        config.warnings().forEach(log::warn);

        MidgeServer server = new MidgeServer(config);
        try {
            server.start();
        } catch (Exception e) {
            log.error("Error: {}.", bindFailure(e));
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown);
        Signals.onHangup(server::reloadSecurityFiles);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("midge version {} terminating", MidgeVersion.VERSION);
        server.close();
        return 0;
    }

    private static String bindFailure(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof BindException || message.contains("Address already in use")) {
            return "Address already in use";
        }
        return message;
    }
}
