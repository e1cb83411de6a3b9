package io.midge.server.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The broker's own command line, {@code [-c CONFIG] [-d] [-h] [-p PORT]... [-v]}, read without
 * picocli. Picocli's classes are Java 5 class files, which the class-data archive cannot hold:
 * loading and verifying them took a third of a second of every start. Anything this does not
 * recognise (a tool such as {@code passwd}, {@code --version}, an unknown or repeated option)
 * goes to picocli, which answers it as before.
 */
final class BrokerArguments {

    private BrokerArguments() {}

    /**
     * The command for {@code args}, or null when picocli should parse them. A missing value of
     * -c or -p is left to picocli too, for its mosquitto-worded error.
     */
    static MidgeCommand parse(String[] args) {
        MidgeCommand command = new MidgeCommand();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String option = canonical(args[i]);
            if (option == null || (!option.equals("-p") && !seen.add(option))) {
                return null;
            }
            switch (option) {
                case "-c", "-p" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                        return null;
                    }
                    String value = args[++i];
                    if (option.equals("-c")) {
                        command.configFile = Path.of(value);
                    } else {
                        command.ports.add(value);
                    }
                }
                case "-v" -> command.verbose = true;
                case "-d" -> command.daemon = true;
                default -> command.help = true;
            }
        }
        return command;
    }

    private static String canonical(String arg) {
        return switch (arg) {
            case "-c", "--config-file" -> "-c";
            case "-p", "--port" -> "-p";
            case "-v", "--verbose" -> "-v";
            case "-d", "--daemon" -> "-d";
            case "-h", "--help" -> "-h";
            default -> null;
        };
    }
}
