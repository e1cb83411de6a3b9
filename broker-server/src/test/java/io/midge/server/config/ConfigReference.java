package io.midge.server.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's configuration reference: a Markdown table rendered from the loader's own option
 * table, between two marker lines.
 */
final class ConfigReference {

    static final String BEGIN = "<!-- config-reference:begin -->";
    static final String END = "<!-- config-reference:end -->";
    static final String REGENERATE =
            "mvn -q -B -o test -pl broker-server -am -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -Dmidge.updateReadme=true";
    private static final Pattern SECTION = Pattern.compile(Pattern.quote(BEGIN) + ".*?" + Pattern.quote(END),
            Pattern.DOTALL);

    private ConfigReference() {
    }

    /** The table for these options, markers included. */
    static String render(List<OptionInfo> options) {
        StringBuilder out = new StringBuilder();
        out.append(BEGIN).append('\n');
        out.append("<!-- Generated from the config loader's option table; do not edit by hand. Regenerate with:\n     ")
                .append(REGENERATE).append(" -->\n");
        out.append("| option | scope | status | what it sets | note |\n");
        out.append("| --- | --- | --- | --- | --- |\n");
        for (OptionInfo option : options) {
            out.append("| `").append(option.displayName()).append("` | ")
                    .append(option.scope().label()).append(" | ")
                    .append(option.status().label()).append(" | ")
                    .append(cell(option.description())).append(" | ")
                    .append(cell(option.note())).append(" |\n");
        }
        out.append(END);
        return out.toString();
    }

    /** The README's current section, markers included, or {@code null} when the markers are missing. */
    static String section(String readme) {
        Matcher matcher = SECTION.matcher(readme);
        return matcher.find() ? matcher.group() : null;
    }

    /** The README with its section replaced by {@code table}. */
    static String replaceSection(String readme, String table) {
        return SECTION.matcher(readme).replaceFirst(Matcher.quoteReplacement(table));
    }

    /** Text as a table cell: a pipe would end the cell, an asterisk could start emphasis. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("*", "\\*");
    }
}
