package io.midge.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code midge store ...}: the persistence tools. */
@Command(name = "store", exitCodeOnInvalidInput = ExitCodes.INVALID,
        subcommands = {ImportMosquittoCommand.class, StoreCheckCommand.class, StoreSalvageCommand.class},
        description = {"Persistence tools for Midge's store, <persistence_location>/midge.db."})
public final class StoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.INVALID;
    }
}
