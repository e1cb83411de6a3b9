package io.midge.server.cli;

import io.midge.core.store.StoreException;
import io.midge.core.store.StoreInspection;
import io.midge.server.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code midge store check [-c CONFIG]}: reads the whole store read-only and reports what it
 * holds and any damage. Exit code 0 when it is sound, 1 when damaged, 13 when it cannot be opened.
 */
@Command(name = "check", exitCodeOnInvalidInput = ExitCodes.INVALID,
        description = {"Check the store the configuration names, read-only: verify the checksums of its files",
                "and decode every record. Safe while Midge runs."})
public final class StoreCheckCommand implements Callable<Integer> {

    @Mixin
    StoreConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path directory;
        try {
            directory = config.load().storeDirectory();
        } catch (ConfigException e) {
            err.println(ErrorLine.of(e));
            return ExitCodes.INVALID;
        }
        StoreInspection.Report report;
        try {
            report = StoreInspection.check(directory);
        } catch (StoreException e) {
            err.println(ErrorLine.of(e));
            return ExitCodes.FILE_UNREADABLE;
        }
        out.println("Persistence store " + directory + ": " + report.counts() + ".");
        if (report.isClean()) {
            out.println("No damage found.");
            out.flush();
            return ExitCodes.OK;
        }
        out.flush();
        err.println("Damaged: " + report.damaged().size() + " problems:");
        report.damaged().forEach(line -> err.println("  " + line));
        err.println("Run 'midge store salvage" + (config.configFile == null ? "" : " -c " + config.configFile)
                + " OUTPUT_DIR' to rescue what can still be read.");
        return ExitCodes.STARTUP_FAILED;
    }
}
