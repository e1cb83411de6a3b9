package io.midge.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A broker's log lines made comparable between Midge and mosquitto: without the leading Unix
 * timestamp, and with "midge version 0.1.0" / "mosquitto version 2.0.11" both read as
 * {@code BROKER version V}.
 */
final class LogLines {

    private static final Pattern TIMESTAMP = Pattern.compile("^\\d+: ");
    private static final Pattern VERSION = Pattern.compile("\\b(midge|mosquitto) version \\S+");

    private LogLines() {}

    static List<String> of(String log) {
        List<String> lines = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(VERSION.matcher(TIMESTAMP.matcher(line).replaceFirst("")).replaceAll("BROKER version V"));
            }
        }
        return lines;
    }

    /** The lines up to and including the first that equals {@code last}, or all when none does. */
    static List<String> upTo(String log, String last) {
        List<String> lines = of(log);
        int end = lines.indexOf(last);
        return end < 0 ? lines : lines.subList(0, end + 1);
    }
}
