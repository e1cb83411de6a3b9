package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * max_qos, use_username_as_clientid, clientid_prefixes and check_retain_source, with mosquitto
 * 2.0's scoping (conf.c): the first two always belong to the listener they follow, the last two
 * to the whole broker, per_listener_settings or not.
 */
class ClientOptionsTest extends ConfigFileTest {

    @Test
    void maxQosBelongsToItsListenerAndDefaultsToTwo() throws Exception {
        BrokerConfig config = files.parse("listener 1883", "max_qos 1", "listener 1884", "listener 1885", "max_qos 0");

        assertEquals(List.of(1, 2, 0), config.listeners().stream().map(config::maxQosFor).toList());
    }

    @Test
    void maximumQosIsTheOlderNameOfMaxQos() throws Exception {
        BrokerConfig config = files.parse("listener 1883", "maximum_qos 1");

        assertEquals(1, config.maxQosFor(config.listeners().get(0)));
    }

    @Test
    void maxQosStaysPerListenerUnderPerListenerSettingsToo() throws Exception {
        BrokerConfig config = files.parse("per_listener_settings true", "listener 1883", "max_qos 0", "listener 1884");

        assertEquals(0, config.maxQosFor(config.listeners().get(0)));
        assertEquals(2, config.maxQosFor(config.listeners().get(1)));
    }

    @Test
    void maxQosBeforeAnyListenerConfiguresTheDefaultListener() throws Exception {
        BrokerConfig config = files.parse("max_qos 1", "listener 1884");

        assertEquals(1883, config.listeners().get(0).port());
        assertEquals(1, config.maxQosFor(config.listeners().get(0)));
        assertEquals(2, config.maxQosFor(config.listeners().get(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "-1", "two"})
    void maxQosOutsideZeroToTwoIsAnErrorAtItsLine(String value) {
        ConfigException e = files.fail("listener 1883", "max_qos " + value);

        assertEquals(files.at(2) + "Invalid value for max_qos: \"" + value + "\" (expected an integer between 0 and 2).",
                e.getMessage());
    }

    @Test
    void useUsernameAsClientIdBelongsToItsListener() throws Exception {
        BrokerConfig config = files.parse(
                "per_listener_settings false", "listener 1883", "use_username_as_clientid true", "listener 1884");

        assertTrue(config.useUsernameAsClientIdFor(config.listeners().get(0)));
        assertFalse(config.useUsernameAsClientIdFor(config.listeners().get(1)));
    }

    @Test
    void clientIdPrefixesIsBrokerWideWhereverItIsWritten() throws Exception {
        BrokerConfig config = files.parse(
                "per_listener_settings true", "listener 1883", "listener 1884", "clientid_prefixes sensor-");

        for (ListenerConfig listener : config.listeners()) {
            assertEquals(Optional.of("sensor-"), config.clientIdPrefixesFor(listener));
        }
    }

    @Test
    void checkRetainSourceIsBrokerWideEvenPerListener() throws Exception {
        BrokerConfig config = files.parse("per_listener_settings true", "listener 1883", "check_retain_source true");

        assertTrue(config.checkRetainSource());
        assertEquals(1, config.listeners().size(), "it does not create the default listener");
    }

    @ParameterizedTest
    @ValueSource(strings = {"psk_hint hint", "psk_file /etc/midge/psk"})
    void tlsPskIsRefusedNamingFileAndLineInsteadOfListeningInPlainText(String line) {
        ConfigException e = files.fail("listener 8883", line);

        String name = line.split(" ")[0];
        assertTrue(e.getMessage().startsWith(files.at(2) + name + ": TLS-PSK is not supported"), e.getMessage());
    }

    @Test
    void tlsPskInAnIncludedFileNamesThatFile() {
        files.write("conf.d/psk.conf", "listener 8883", "psk_hint hint");

        ConfigException e = files.fail("include_dir conf.d");

        assertTrue(e.getMessage().startsWith(files.at("conf.d/psk.conf", 2) + "psk_hint: "), e.getMessage());
    }

    @Test
    void booleansAlsoAcceptOneAndZeroAsMosquittoDoes() throws Exception {
        BrokerConfig config = files.parse("listener 1883", "allow_anonymous 1", "retain_available 0");

        assertTrue(config.allowAnonymous());
        assertFalse(config.retainAvailable());
    }

    @Test
    void logFacilityIsKeptForSyslog() throws Exception {
        assertEquals(5, files.parse("log_facility 5").logFacility().orElseThrow());
    }
}
