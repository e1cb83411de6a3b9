package io.midge.server.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.Map;

/** A command line picocli cannot parse, reported in mosquitto's words and with its exit code. */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger("midge");
    private static final Map<String, String> MISSING_VALUE = Map.of(
            "-c", "Error: -c argument given, but no config file specified.",
            "-p", "Error: -p argument given, but no port specified.");

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        if (!(command.getCommand() instanceof MidgeCommand)) {
            // midge passwd keeps picocli's own messages, as mosquitto_passwd has its own too.
            command.getErr().println(e.getMessage());
            command.usage(command.getErr());
            return command.getCommandSpec().exitCodeOnInvalidInput();
        }
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            System.err.println("Error: Unknown option '" + unmatched.getUnmatched().get(0) + "'.");
            Usage.print(System.out);
        } else if (e instanceof MissingParameterException missing && missingValueMessage(missing) != null) {
            log.error(missingValueMessage(missing));
        } else {
            System.err.println("Error: " + e.getMessage());
            Usage.print(System.out);
        }
        return ExitCodes.INVALID;
    }

    private static String missingValueMessage(MissingParameterException e) {
        for (ArgSpec arg : e.getMissing()) {
            if (arg instanceof OptionSpec option) {
                return MISSING_VALUE.get(option.shortestName());
            }
        }
        return null;
    }
}
