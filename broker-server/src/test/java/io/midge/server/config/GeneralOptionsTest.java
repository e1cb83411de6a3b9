package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneralOptionsTest extends ConfigFileTest {

    @Test
    void generalOptionsAreKept() throws Exception {
        BrokerConfig config = files.parse(
                "max_inflight_messages 0",
                "max_queued_messages 0",
                "max_queued_bytes 5000000000",
                "message_size_limit 1024",
                "max_keepalive 120",
                "allow_zero_length_clientid false",
                "auto_id_prefix gen-",
                "retain_available false",
                "upgrade_outgoing_qos true",
                "queue_qos0_messages true",
                "connection_messages false",
                "persistent_client_expiration 2w",
                "sys_interval 0");

        assertEquals(0, config.maxInflightMessages());
        assertEquals(0, config.maxQueuedMessages());
        assertEquals(5_000_000_000L, config.maxQueuedBytes());
        assertEquals(1024, config.messageSizeLimit());
        assertEquals(1024, config.effectiveMessageSizeLimit());
        assertEquals(120, config.maxKeepalive());
        assertFalse(config.allowZeroLengthClientId());
        assertEquals("gen-", config.autoIdPrefix());
        assertFalse(config.retainAvailable());
        assertTrue(config.upgradeOutgoingQos());
        assertTrue(config.queueQos0Messages());
        assertFalse(config.connectionMessages());
        assertEquals(Optional.of(Duration.ofDays(14)), config.persistentClientExpiration());
        assertEquals(0, config.sysInterval());
    }

    @Test
    void maxPacketSizeIsKeptFrom20Up() throws Exception {
        assertEquals(20, files.parse("max_packet_size 20").maxPacketSize());
        assertEquals(Integer.MAX_VALUE, files.parse("max_packet_size 2147483647").maxPacketSize());
    }

    /** mosquitto 2.0.11 refuses the same values; 0 is not "no limit" there, leaving the option out is. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "19", "-1", "2147483648", "1k"})
    void maxPacketSizeOutOfRangeNamesFileAndLine(String value) {
        ConfigException e = files.fail("listener 1883", "max_packet_size " + value);

        assertEquals(files.at(2) + "Invalid value for max_packet_size: \"" + value
                + "\" (expected an integer >= 20).", e.getMessage());
    }

    @Test
    void maxPacketSizeIsBrokerWideWhereverItIsGiven() throws Exception {
        BrokerConfig config = files.parse("listener 1883", "max_packet_size 1000", "listener 1884");

        assertEquals(1000, config.maxPacketSize());
        assertEquals(2, config.listeners().size());
    }

    /** mosquitto 2.0's conf.c still reads the undocumented older name, so configurations may have it. */
    @Test
    void retainedPersistenceIsTheOlderNameOfPersistence() throws Exception {
        assertTrue(files.parse("retained_persistence true").persistence());
        assertFalse(files.parse("persistence true", "retained_persistence false").persistence());
    }

    @Test
    void persistenceOptionsAreKept() throws Exception {
        BrokerConfig config = files.parse(
                "persistence true",
                "persistence_location data/",
                "persistence_file broker.db",
                "autosave_interval 0");

        assertTrue(config.persistence());
        assertEquals(dir.resolve("data"), config.persistenceLocation());
        assertEquals("broker.db", config.persistenceFile());
        assertEquals(dir.resolve("data/broker.db"), config.persistenceFilePath());
        assertEquals(0, config.autosaveInterval());
    }

    @Test
    void lastValueWins() throws Exception {
        assertEquals(2, files.parse("max_keepalive 1", "max_keepalive 2").maxKeepalive());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "0x10", "10 20", "1e3", "99999999999999999999"})
    void integersMustParseFully(String value) {
        ConfigException e = files.fail("max_queued_messages " + value);

        assertEquals(files.at(1) + "Invalid value for max_queued_messages: \"" + value
                + "\" (expected an integer >= 0).", e.getMessage());
    }

    @Test
    void messageSizeLimitAboveTheProtocolMaximumIsRejected() {
        ConfigException e = files.fail("message_size_limit 268435456");

        assertEquals(files.at(1) + "Invalid value for message_size_limit: \"268435456\" "
                + "(expected an integer between 0 and 268435455).", e.getMessage());
    }

    @Test
    void maxKeepaliveIsLimitedToSixteenBits() {
        assertTrue(files.fail("max_keepalive 65536").getMessage().contains("between 0 and 65535"));
        assertTrue(files.fail("max_keepalive -1").getMessage().contains("between 0 and 65535"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRUE", "yes", "2", "on", "true false"})
    void booleansAreTrueOrFalseOrOneOrZero(String value) {
        ConfigException e = files.fail("retain_available " + value);

        assertEquals(files.at(1) + "Invalid value for retain_available: \"" + value + "\" (expected true or false).",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"14", "d", "0d", "-1d", "1.5d", "3s", "1 d"})
    void badExpirationDurations(String value) {
        ConfigException e = files.fail("persistent_client_expiration " + value);

        assertTrue(e.getMessage().startsWith(files.at(1) + "Invalid value for persistent_client_expiration"),
                e.getMessage());
    }

    @Test
    void pidFileIsKept() throws Exception {
        assertEquals(Optional.of(dir.resolve("run/midge.pid")), files.parse("pid_file run/midge.pid").pidFile());
        assertEquals(Optional.empty(), files.parse("max_keepalive 60").pidFile());
    }

    @Test
    void userDefaultsToMosquittoAsInMosquitto() throws Exception {
        assertEquals("mosquitto", files.parse("max_keepalive 60").user());
        assertEquals("midge", files.parse("user midge").user());
        assertTrue(files.parse("user midge").warnings().isEmpty());
    }
}
