package io.midge.server.cli;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.store.RocksStore;
import io.midge.core.store.StoreContentsWriter;
import io.midge.core.store.StoreCounts;
import io.midge.core.store.StoreException;
import io.midge.core.store.StoreSettings;
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
import java.util.concurrent.atomic.AtomicReference;

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
            StoreCounts counts = write(directory, found);
            out.println("Imported " + file + " (mosquitto format version " + found.formatVersion() + ") into " + directory + ":");
            out.println("  " + counts + ".");
            found.notes().forEach(note -> out.println("  Left out: " + note + "."));
            out.flush();
            return ExitCodes.OK;
        } catch (ConfigException | StoreException e) {
            spec.commandLine().getErr().println(StoreToolFailure.errorLine(e));
            return ExitCodes.STARTUP_FAILED;
        } catch (StoreToolFailure e) {
            spec.commandLine().getErr().println(StoreToolFailure.errorLine(e));
            return e.exitCode;
        }
    }

    private static StoreCounts write(Path directory, MosquittoImport.Found found) throws StoreException, StoreToolFailure {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        RocksStore store = RocksStore.open(StoreSettings.fsync(directory), AllowAllAuthorizer.INSTANCE, failure::set);
        StoreCounts counts;
        try {
            StoreCounts existing = StoreCounts.of(store.load());
            if (!existing.isEmpty()) {
                throw new StoreToolFailure("Persistence store " + directory + " already holds data (" + existing
                        + "). Import only into a new store: move it aside first.", ExitCodes.STARTUP_FAILED);
            }
            counts = StoreContentsWriter.write(store, found.contents());
        } finally {
            store.close();
        }
        if (failure.get() != null) {
            throw new StoreException("Unable to write to persistence store " + directory + ": " + failure.get().getMessage(),
                    failure.get());
        }
        return counts;
    }
}
