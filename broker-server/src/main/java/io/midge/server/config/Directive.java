package io.midge.server.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One {@code name value...} line of a configuration file, with typed accessors for its value.
 * Every accessor validates and throws a {@link ConfigException} naming the file and line.
 */
final class Directive {

    private static final Pattern BLANKS = Pattern.compile("[ \t]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

    private final String name;
    private final String value;
    private final SourceLocation location;
    private final ParseContext context;

    private Directive(String name, String value, SourceLocation location, ParseContext context) {
        this.name = name;
        this.value = value;
        this.location = location;
        this.context = context;
    }

    /** Splits a non-blank, non-comment line into option name and (trimmed) rest of line. */
    static Directive of(String line, SourceLocation location, ParseContext context) {
        String[] nameAndValue = BLANKS.split(line.strip(), 2);
        String value = nameAndValue.length > 1 ? nameAndValue[1].strip() : "";
        return new Directive(nameAndValue[0], value, location, context);
    }

    String name() {
        return name;
    }

    SourceLocation location() {
        return location;
    }

    /** The rest of the line, which may contain blanks (mosquitto reads strings to end of line). */
    String string() throws ConfigException {
        return required("a value");
    }

    /** A single blank-free token. */
    String word() throws ConfigException {
        String word = required("a single word");
        if (BLANKS.matcher(word).find()) {
            throw invalid("a single word");
        }
        return word;
    }

    /** A single word of hexadecimal digits. */
    String hex() throws ConfigException {
        String expected = "hexadecimal digits";
        String word = required(expected);
        if (!HEX.matcher(word).matches()) {
            throw invalid(expected);
        }
        return word;
    }

    /**
     * The same option with its first word removed, for values like {@code log_dest file PATH}
     * whose first word selects how the rest is read.
     */
    Directive afterFirstWord() {
        String[] firstAndRest = BLANKS.split(value, 2);
        return new Directive(name, firstAndRest.length > 1 ? firstAndRest[1] : "", location, context);
    }

    /** One or more blank-separated tokens. */
    List<String> words(String expected) throws ConfigException {
        return List.of(BLANKS.split(required(expected)));
    }

    /** A path, resolved against the working directory. */
    Path path() throws ConfigException {
        String text = required("a path");
        try {
            return context.resolve(text);
        } catch (InvalidPathException e) {
            throw invalid("a valid path");
        }
    }

    /** {@code true} or {@code false}; like mosquitto, {@code 1} and {@code 0} too. */
    boolean bool() throws ConfigException {
        String expected = "true or false";
        return switch (required(expected)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw invalid(expected);
        };
    }

    int intInRange(int min, int max) throws ConfigException {
        return (int) longInRange(min, max);
    }

    long longInRange(long min, long max) throws ConfigException {
        return parseLong(required(rangeText(min, max)), min, max);
    }

    /** A case-sensitive keyword matching a constant of {@code type} in lower case. */
    <E extends Enum<E>> E keyword(Class<E> type) throws ConfigException {
        String expected = keywordsOf(type);
        return keyword(type, required(expected), expected);
    }

    /** One token of a multi-token value as a keyword; {@code expected} describes the whole value. */
    <E extends Enum<E>> E keyword(Class<E> type, String token, String expected) throws ConfigException {
        for (E constant : type.getEnumConstants()) {
            if (keywordOf(constant).equals(token)) {
                return constant;
            }
        }
        throw invalid(expected);
    }

    private static String keywordsOf(Class<? extends Enum<?>> type) {
        return "one of " + Arrays.stream(type.getEnumConstants()).map(Directive::keywordOf)
                .collect(Collectors.joining(", "));
    }

    /** A single word out of a fixed list. */
    String choice(List<String> allowed) throws ConfigException {
        String expected = "one of " + String.join(", ", allowed);
        String word = required(expected);
        if (!allowed.contains(word)) {
            throw invalid(expected);
        }
        return word;
    }

    /** mosquitto's expiry duration: a positive number followed by h, d, w, m or y. */
    Duration expiryDuration() throws ConfigException {
        String expected = "a positive number followed by h, d, w, m or y, such as 14d";
        try {
            return ExpiryDuration.parse(required(expected));
        } catch (IllegalArgumentException e) {
            throw invalid(expected);
        }
    }

    /** Parses one token of a multi-token value as an integer in range. */
    long parseLong(String token, long min, long max) throws ConfigException {
        return parseLong(token, min, max, rangeText(min, max));
    }

    /** As {@link #parseLong(String, long, long)}, with {@code expected} describing the whole value. */
    long parseLong(String token, long min, long max, String expected) throws ConfigException {
        if (!INTEGER.matcher(token).matches()) {
            throw invalid(expected);
        }
        long number = Long.parseLong(token);
        if (number < min || number > max) {
            throw invalid(expected);
        }
        return number;
    }

    /** {@code FILE:LINE: Invalid value for NAME: "VALUE" (expected ...).} */
    ConfigException invalid(String expected) {
        return error("Invalid value for " + name + ": \"" + value + "\" (expected " + expected + ").");
    }

    /** An error about this line with a free-form reason. */
    ConfigException error(String reason) {
        return ConfigException.at(location, reason);
    }

    void warn(String text) {
        context.warn(location, text);
    }

    /** Records that the option was accepted but nothing acts on it yet. */
    void warnNotSupportedYet() {
        warn(name + " is not supported yet; ignored.");
    }

    private String required(String expected) throws ConfigException {
        if (value.isEmpty()) {
            throw error("Missing value for " + name + " (expected " + expected + ").");
        }
        return value;
    }

    private static String rangeText(long min, long max) {
        if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
            return "an integer >= " + min;
        }
        return "an integer between " + min + " and " + max;
    }

    private static String keywordOf(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
