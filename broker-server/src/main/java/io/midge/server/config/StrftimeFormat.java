package io.midge.server.config;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Translates the strftime(3) patterns used by mosquitto's {@code log_timestamp_format} into
 * {@link DateTimeFormatter}s.
 *
 * <p>Supported conversions: {@code %a %A %b %B %d %D %e %F %h %H %I %j %k %l %m %M %n %p %r %R
 * %s %S %t %T %u %y %Y %z %Z %%}. Names are English, as in the C locale mosquitto runs with.
 * Locale dependent ({@code %c %x %X}) and week based conversions are rejected rather than
 * approximated. Formatters built from {@code %s}, {@code %z} or {@code %Z} need a zoned value such
 * as {@link java.time.ZonedDateTime}.
 */
public final class StrftimeFormat {

    private static final Map<Character, Consumer<DateTimeFormatterBuilder>> CONVERSIONS = Map.ofEntries(
            Map.entry('a', b -> b.appendText(ChronoField.DAY_OF_WEEK, TextStyle.SHORT)),
            Map.entry('A', b -> b.appendText(ChronoField.DAY_OF_WEEK, TextStyle.FULL)),
            Map.entry('b', b -> b.appendText(ChronoField.MONTH_OF_YEAR, TextStyle.SHORT)),
            Map.entry('h', b -> b.appendText(ChronoField.MONTH_OF_YEAR, TextStyle.SHORT)),
            Map.entry('B', b -> b.appendText(ChronoField.MONTH_OF_YEAR, TextStyle.FULL)),
            Map.entry('d', b -> b.appendValue(ChronoField.DAY_OF_MONTH, 2)),
            Map.entry('e', b -> b.padNext(2).appendValue(ChronoField.DAY_OF_MONTH)),
            Map.entry('H', b -> b.appendValue(ChronoField.HOUR_OF_DAY, 2)),
            Map.entry('k', b -> b.padNext(2).appendValue(ChronoField.HOUR_OF_DAY)),
            Map.entry('I', b -> b.appendValue(ChronoField.CLOCK_HOUR_OF_AMPM, 2)),
            Map.entry('l', b -> b.padNext(2).appendValue(ChronoField.CLOCK_HOUR_OF_AMPM)),
            Map.entry('j', b -> b.appendValue(ChronoField.DAY_OF_YEAR, 3)),
            Map.entry('m', b -> b.appendValue(ChronoField.MONTH_OF_YEAR, 2)),
            Map.entry('M', b -> b.appendValue(ChronoField.MINUTE_OF_HOUR, 2)),
            Map.entry('S', b -> b.appendValue(ChronoField.SECOND_OF_MINUTE, 2)),
            Map.entry('p', b -> b.appendText(ChronoField.AMPM_OF_DAY, TextStyle.SHORT)),
            Map.entry('s', b -> b.appendValue(ChronoField.INSTANT_SECONDS)),
            Map.entry('u', b -> b.appendValue(ChronoField.DAY_OF_WEEK)),
            Map.entry('y', b -> b.appendValueReduced(ChronoField.YEAR, 2, 2, 2000)),
            Map.entry('Y', b -> b.appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL)),
            Map.entry('z', b -> b.appendOffset("+HHMM", "+0000")),
            Map.entry('Z', b -> b.appendZoneText(TextStyle.SHORT)),
            Map.entry('n', b -> b.appendLiteral('\n')),
            Map.entry('t', b -> b.appendLiteral('\t')),
            Map.entry('%', b -> b.appendLiteral('%')));

    /** Conversions that strftime defines as shorthands for longer patterns. */
    private static final Map<Character, String> COMPOSITES = Map.of(
            'D', "%m/%d/%y",
            'F', "%Y-%m-%d",
            'R', "%H:%M",
            'T', "%H:%M:%S",
            'r', "%I:%M:%S %p");

    private StrftimeFormat() {
    }

    /**
     * Builds a formatter equivalent to the given strftime pattern.
     *
     * @throws IllegalArgumentException if the pattern uses an unsupported conversion or ends in a
     *     lone {@code %}
     */
    public static DateTimeFormatter toFormatter(String pattern) {
        DateTimeFormatterBuilder builder = new DateTimeFormatterBuilder();
        append(builder, pattern);
        return builder.toFormatter(Locale.ENGLISH);
    }

    private static void append(DateTimeFormatterBuilder builder, String pattern) {
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i + 1 == pattern.length()) {
                throw new IllegalArgumentException("pattern ends with a lone '%'");
            }
            flushLiteral(builder, literal);
            appendConversion(builder, pattern.charAt(++i));
        }
        flushLiteral(builder, literal);
    }

    private static void appendConversion(DateTimeFormatterBuilder builder, char conversion) {
        String composite = COMPOSITES.get(conversion);
        if (composite != null) {
            append(builder, composite);
            return;
        }
        Consumer<DateTimeFormatterBuilder> simple = CONVERSIONS.get(conversion);
        if (simple == null) {
            throw new IllegalArgumentException("unsupported conversion %" + conversion);
        }
        simple.accept(builder);
    }

    private static void flushLiteral(DateTimeFormatterBuilder builder, StringBuilder literal) {
        if (literal.length() > 0) {
            builder.appendLiteral(literal.toString());
            literal.setLength(0);
        }
    }
}
