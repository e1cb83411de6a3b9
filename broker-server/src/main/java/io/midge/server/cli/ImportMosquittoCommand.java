package io.midge.server.cli;

import io.midge.core.store.StoreContentsWriter;
import io.midge.core.store.StoreCounts;
import io.midge.core.store.StoreException;
import io.midge.core.store.mosquitto.MosquittoImport;
import io.midge.server.config.BrokerConfig;
import io.midge.server.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code midge store import-mosquitto FILE [-c CONFIG]}: imports a mosquitto 1.6/2.0
 * persistence file into a new Midge store. The file is only read.
 */
@Command(name = "import-mosquitto", exitCodeOnInvalidInput = ExitCodes.INVALID,
        description = {"Import a mosquitto persistence file (mosquitto.db of mosquitto 1.6 or 2.0) into the store",
                "the configuration names: retained messages, and persistent sessions with their",
                "subscriptions and queued messages. Refused if that store already holds data."})
public final class ImportMosquittoCommand implements Callable<Integer> {

    @Mixin
    StoreConfigOption config;

    @Parameters(index = "0", paramLabel = "FILE", description = "The mosquitto persistence file.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            BrokerConfig broker = config.load();
            MosquittoImport.Found found = MosquittoImport.read(file);
            Path directory = broker.storeDirectory();
            StoreCounts counts = StoreContentsWriter.writeNewStore(directory, found.contents());
            out.println("Imported " + file + " (mosquitto format version " + found.formatVersion() + ") into " + directory + ":");
            out.println("  " + counts + ".");
            found.notes().forEach(note -> out.println("  Left out: " + note + "."));
            out.flush();
            return ExitCodes.OK;
        } catch (ConfigException | StoreException e) {
            spec.commandLine().getErr().println(ErrorLine.of(e));
            return ExitCodes.STARTUP_FAILED;
        }
    }
}
