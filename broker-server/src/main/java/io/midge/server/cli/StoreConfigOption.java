package io.midge.server.cli;

import io.midge.server.config.BrokerConfig;
import io.midge.server.config.ConfigException;
import io.midge.server.config.ConfigParser;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code -c CONFIG} of the store tools: which store, by the configuration's persistence_location. */
final class StoreConfigOption {

    @Option(names = {"-c", "--config-file"}, paramLabel = "CONFIG",
            description = "The broker's configuration file; without it, the store in the working directory.")
    Path configFile;

    BrokerConfig load() throws ConfigException {
        return configFile == null ? ConfigParser.defaults() : ConfigParser.parse(configFile);
    }
}
