package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration reference is what the loader's option table says, and the table
 * knows every option mosquitto 2.0 documents.
 */
class ConfigReferenceTest {

    /** Surefire runs in the module directory; the README is the repository's. */
    private static final Path README = Path.of("..", "README.md");
    private static final String MOSQUITTO_OPTIONS = "/mosquitto-2.0-options.txt";

    @Test
    void readmeTableIsTheGeneratedOne() throws IOException {
        String readme = Files.readString(README);
        String generated = ConfigReference.render(ConfigParser.reference());
        String current = ConfigReference.section(readme);
        assertNotNull(current, README + " has no " + ConfigReference.BEGIN + " ... " + ConfigReference.END
                + " section");
        if (Boolean.getBoolean("midge.updateReadme")) {
            Files.writeString(README, ConfigReference.replaceSection(readme, generated));
            return;
        }
        assertEquals(generated, current, "README.md's configuration reference differs from the option table;"
                + " regenerate it with:\n  " + ConfigReference.REGENERATE + "\n");
    }

    @Test
    void everyOptionMosquittoDocumentsIsKnown() throws IOException {
        Set<String> known = ConfigParser.reference().stream().map(OptionInfo::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(mosquittoOptions());
        missing.removeAll(known);

        assertEquals(Set.of(), missing, "options of mosquitto.conf(5) the loader does not know");
    }

    @Test
    void referenceListsEveryOptionTheLoaderAccepts() {
        Set<String> listed = ConfigParser.reference().stream().map(OptionInfo::name)
                .collect(Collectors.toCollection(TreeSet::new));

        assertTrue(listed.containsAll(OptionTable.mosquitto().names()));
        assertTrue(listed.contains("include_dir"));
    }

    @Test
    void renderedRowEscapesWhatMarkdownWouldRead() {
        OptionInfo option = new OptionInfo("plugin_opt_", true, OptionScope.SECURITY,
                OptionStatus.ACCEPTED_IGNORED_WARNING, "a | b *.conf", "not supported yet");

        String table = ConfigReference.render(List.of(option));

        assertTrue(table.contains("\n| `plugin_opt_*` | security | ignored, warns | a \\| b \\*.conf | not supported yet |\n"),
                table);
    }

    /** mosquitto's names, with its {@code auth_opt_*} spelling of a prefix turned into the loader's. */
    private static List<String> mosquittoOptions() throws IOException {
        try (InputStream in = ConfigReferenceTest.class.getResourceAsStream(MOSQUITTO_OPTIONS)) {
            assertNotNull(in, MOSQUITTO_OPTIONS);
            List<String> names = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.endsWith("*") ? line.substring(0, line.length() - 1) : line)
                    .toList();
            assertTrue(names.size() > 100, "the list holds " + names.size() + " names");
            return names;
        }
    }
}
