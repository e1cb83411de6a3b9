package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code -c FILE} and {@code -p PORT}, as mosquitto 2.0.11 combines them. */
class CommandLineConfigTest extends ConfigFileTest {

    @Test
    void portWithoutFileIsLocalOnlyOnThatPort() throws Exception {
        BrokerConfig config = ConfigParser.fromCommandLine(null, List.of(1884));

        assertEquals(List.of(1884), ports(config));
        assertTrue(config.isLocalOnly());
        assertTrue(config.allowAnonymous());
    }

    @Test
    void everyPortGetsItsLocalOnlyListener() throws Exception {
        BrokerConfig config = ConfigParser.fromCommandLine(null, List.of(1884, 1885));

        assertEquals(List.of(1884, 1885), ports(config));
        assertTrue(config.isLocalOnly());
    }

    @Test
    void portReplaces1883OfAFileWithoutListeners() throws Exception {
        BrokerConfig config = ConfigParser.fromCommandLine(files.write("m.conf", "max_keepalive 60"), List.of(1884));

        assertEquals(List.of(1884), ports(config));
        assertTrue(config.isLocalOnly());
        assertEquals(60, config.maxKeepalive());
    }

    @ParameterizedTest
    @CsvSource({"listener 8883, 8883", "port 1885, 1885", "bind_address 127.0.0.1, 1883"})
    void portIsIgnoredWhenTheFileDefinesAListener(String line, int listening) throws Exception {
        BrokerConfig config = ConfigParser.fromCommandLine(files.write("m.conf", line), List.of(1884));

        assertEquals(List.of(listening), ports(config));
        assertFalse(config.isLocalOnly());
    }

    private static List<Integer> ports(BrokerConfig config) {
        return config.listeners().stream().map(ListenerConfig::port).toList();
    }
}
