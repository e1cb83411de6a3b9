package io.midge.server.cli;

import io.midge.core.store.StoreException;
import io.midge.core.store.StoreInspection;
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
 * {@code midge store salvage [-c CONFIG] OUTPUT_DIR}: writes what can still be read from a
 * damaged store into a new store, leaving the original as it is.
 */
@Command(name = "salvage", exitCodeOnInvalidInput = ExitCodes.INVALID,
        description = {"Rescue what can still be read from a damaged store into a new store in OUTPUT_DIR.",
                "The original is copied first and never changed."})
public final class StoreSalvageCommand implements Callable<Integer> {

    @Mixin
    StoreConfigOption config;

    @Parameters(index = "0", paramLabel = "OUTPUT_DIR", description = "Where to write the new store; must not exist or be empty.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path directory;
        StoreInspection.Salvage salvage;
        try {
            directory = config.load().storeDirectory();
            salvage = StoreInspection.salvage(directory, output);
        } catch (ConfigException | StoreException e) {
            spec.commandLine().getErr().println(ErrorLine.of(e));
            return ExitCodes.STARTUP_FAILED;
        }
        out.println("Salvaged persistence store " + directory + " into " + output + ".");
        out.println("Recovered: " + salvage.recovered() + ".");
        if (salvage.lost().isEmpty()) {
            out.println("Lost: nothing.");
        } else {
            out.println("Lost:");
            salvage.lost().forEach(line -> out.println("  " + line));
        }
        out.println("To use it: stop Midge, move " + directory + " aside, and move " + output + " to " + directory + ".");
        out.flush();
        return ExitCodes.OK;
    }
}
