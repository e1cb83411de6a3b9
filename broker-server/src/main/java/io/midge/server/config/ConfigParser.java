package io.midge.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads mosquitto 2.0 style configuration files.
 *
 * <p>Syntax: one {@code name value...} option per line, name and value separated by blanks;
 * lines whose first non-blank character is {@code #} are comments; blank lines, CRLF line
 * endings and a missing final newline are fine. {@code include_dir DIR} in the main file reads
 * every {@code *.conf} file of {@code DIR} in alphabetical order at that point. Relative paths
 * are taken from the process working directory, as mosquitto does.
 */
public final class ConfigParser {

    private static final OptionTable OPTIONS = OptionTable.mosquitto();
    private static final String INCLUDE_DIR = "include_dir";
    private static final OptionInfo INCLUDE_DIR_INFO = new OptionInfo(INCLUDE_DIR, false, OptionScope.GENERAL,
            OptionStatus.SUPPORTED, "read every *.conf file of a directory, in name order; main file only", "");
    private static final String CONF_SUFFIX = ".conf";
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final ParseContext context;
    private final ConfigBuilder config;
    private Path mainFile;

    private ConfigParser(Path workingDirectory) {
        this.context = new ParseContext(workingDirectory);
        this.config = new ConfigBuilder(context);
    }

    /**
     * Parses a configuration file and everything it includes.
     *
     * @param file the main configuration file (mosquitto's {@code -c} argument)
     * @return the validated configuration
     * @throws ConfigException if a file cannot be read or an option is unknown or invalid; the
     *     message names the file and, where there is one, the line
     */
    public static BrokerConfig parse(Path file) throws ConfigException {
        return parse(file, Path.of(""));
    }

    /** As {@link #parse(Path)}, resolving relative paths against {@code workingDirectory}. */
    static BrokerConfig parse(Path file, Path workingDirectory) throws ConfigException {
        ConfigParser parser = new ConfigParser(workingDirectory);
        parser.mainFile = parser.context.resolve(file.toString());
        parser.readFile(parser.mainFile, null);
        return parser.config.build();
    }

    /**
     * The configuration for mosquitto's command line {@code [-c FILE] [-p PORT]...}: with no file,
     * the built-in defaults. The ports replace 1883 of local-only mode (loopback only), as in
     * mosquitto 2.0, which ignores them when the file defines listeners.
     */
    public static BrokerConfig fromCommandLine(Path file, List<Integer> ports) throws ConfigException {
        ConfigParser parser = new ConfigParser(Path.of(""));
        if (file != null) {
            parser.mainFile = parser.context.resolve(file.toString());
            parser.readFile(parser.mainFile, null);
        }
        parser.config.listeners.commandLinePorts(ports);
        return parser.config.build();
    }

    /**
     * The configuration mosquitto 2.0 uses when started without a configuration file: local only
     * mode, port 1883 of 127.0.0.1 and ::1, anonymous clients allowed.
     */
    public static BrokerConfig defaults() {
        try {
            return new ConfigParser(Path.of("")).config.build();
        } catch (ConfigException e) {
            throw new IllegalStateException("built-in defaults are invalid", e);
        }
    }

    /** What the configuration reference lists: every option, {@code include_dir} too, sorted by name. */
    static List<OptionInfo> reference() {
        List<OptionInfo> options = new ArrayList<>(OPTIONS.infos());
        options.add(INCLUDE_DIR_INFO);
        options.sort(Comparator.comparing(OptionInfo::name));
        return List.copyOf(options);
    }

    /** @param includedBy the {@code include_dir} line for included files, {@code null} for the main file */
    private void readFile(Path file, Directive includedBy) throws ConfigException {
        FileScope scope = new FileScope(config);
        String[] lines = read(file, includedBy).split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            // strip() also removes the \r of CRLF line endings.
            String line = lines[index].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Directive directive = Directive.of(line, new SourceLocation(file, index + 1), context);
            if (directive.name().equals(INCLUDE_DIR)) {
                includeDirectory(directive, includedBy != null);
            } else {
                OPTIONS.apply(directive, scope);
            }
        }
    }

    private static String read(Path file, Directive includedBy) throws ConfigException {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            String reason = "Unable to open config file " + file + " (" + describe(e) + ").";
            throw includedBy == null ? new ConfigException(reason, e) : includedBy.error(reason);
        }
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    private void includeDirectory(Directive directive, boolean inIncludedFile) throws ConfigException {
        if (inIncludedFile) {
            directive.warn("include_dir is only processed in the main configuration file; ignored.");
            return;
        }
        Path directory = directive.path();
        if (!Files.isDirectory(directory)) {
            throw directive.error("include_dir " + directory + " does not exist or is not a directory.");
        }
        for (Path file : confFilesIn(directory, directive)) {
            if (isSameFile(file, mainFile)) {
                throw directive.error("include_dir " + directory + " must not contain the main configuration file.");
            }
            readFile(file, directive);
        }
    }

    /** mosquitto's order: by file name, case-sensitively, so capitals come first. */
    private static List<Path> confFilesIn(Path directory, Directive directive) throws ConfigException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries
                    .filter(ConfigParser::isConfFile)
                    .sorted(Comparator.comparing(path -> path.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw directive.error("Unable to read include_dir " + directory + " (" + describe(e) + ").");
        }
    }

    private static boolean isConfFile(Path path) {
        String name = path.getFileName().toString();
        return name.length() > CONF_SUFFIX.length() && name.endsWith(CONF_SUFFIX) && Files.isRegularFile(path);
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
