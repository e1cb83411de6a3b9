package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/midge.conf}, the packaged {@code /etc/midge/midge.conf}, loads without a warning,
 * and so does every option it shows commented out: the examples are current.
 */
class ShippedConfigTest {

    /** Surefire runs in the module directory. */
    private static final Path SHIPPED = Path.of("..", "conf", "midge.conf");
    /** {@code #name value}: an option to uncomment; prose comments have a blank after the {@code #}. */
    private static final Pattern EXAMPLE = Pattern.compile("^#[a-z][a-z0-9_.]* .*");

    @TempDir
    Path dir;

    @Test
    void loadsAsShippedWithoutWarnings() throws Exception {
        BrokerConfig config = ConfigParser.parse(SHIPPED);

        assertEquals(List.of(), config.warnings());
        assertEquals(1, config.listeners().size());
        ListenerConfig listener = config.listeners().get(0);
        assertEquals(1883, listener.port());
        assertEquals("127.0.0.1", listener.bindAddress(), "this machine only, until the operator opens it");
        assertEquals(ListenerProtocol.MQTT, listener.protocol());
        assertTrue(config.persistence());
        assertEquals(Path.of("/var/lib/midge"), config.persistenceLocation());
        assertTrue(config.allowAnonymous());
    }

    @Test
    void everyCommentedOutOptionIsValidWhereItStands() throws Exception {
        List<String> lines = Files.readAllLines(SHIPPED);
        String uncommented = lines.stream()
                // include_dir needs its directory to exist.
                .map(line -> EXAMPLE.matcher(line).matches() && !line.startsWith("#include_dir ")
                        ? line.substring(1) : line)
                .collect(Collectors.joining("\n"));
        assertTrue(uncommented.lines().count() > 0 && !uncommented.equals(String.join("\n", lines)));
        Path file = Files.writeString(dir.resolve("all.conf"), uncommented);

        BrokerConfig config = ConfigParser.parse(file);

        assertEquals(5, config.listeners().size(), "1883, 9001, 8883, 9443 and 8080");
        Map<String, OptionStatus> status = ConfigParser.reference().stream()
                .collect(Collectors.toMap(OptionInfo::name, OptionInfo::status));
        for (String warning : config.warnings()) {
            String option = warning.substring(warning.indexOf(": ") + 2).split(" ")[0];
            assertEquals(OptionStatus.ACCEPTED_IGNORED_WARNING, status.get(option), warning);
        }
    }

    @Test
    void includeDirExampleReadsTheDirectory() throws IOException, ConfigException {
        Path confD = Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(confD.resolve("local.conf"), "max_keepalive 60\n");
        String line = Files.readAllLines(SHIPPED).stream().filter(l -> l.startsWith("#include_dir ")).findFirst()
                .orElseThrow();
        Path file = Files.writeString(dir.resolve("main.conf"),
                line.substring(1).replace("/etc/midge/conf.d", confD.toString()) + "\n");

        assertEquals(60, ConfigParser.parse(file).maxKeepalive());
    }
}
