package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DefaultsTest {

    private final BrokerConfig config = ConfigParser.defaults();

    @Test
    void listensOnLoopbackPort1883AndAllowsAnonymous() {
        ListenerConfig listener = config.listeners().get(0);

        assertEquals(1, config.listeners().size());
        assertEquals(1883, listener.port());
        assertTrue(listener.localOnly(), "127.0.0.1 and ::1, as mosquitto 2");
        assertTrue(config.isLocalOnly());
        assertEquals(null, listener.bindAddress());
        assertEquals(ListenerProtocol.MQTT, listener.protocol());
        assertEquals(null, listener.socketDomain());
        assertEquals(null, listener.mountPoint());
        assertEquals(-1, listener.maxConnections());
        assertEquals(2, config.maxQosFor(listener));
        assertFalse(config.useUsernameAsClientIdFor(listener));
        assertFalse(listener.isTls());
        assertTrue(config.allowAnonymous());
        assertTrue(config.allowAnonymousFor(listener));
    }

    @Test
    void limitsAreMosquittos() {
        assertEquals(20, config.maxInflightMessages());
        assertEquals(1000, config.maxQueuedMessages());
        assertEquals(0, config.maxQueuedBytes());
        assertEquals(0, config.messageSizeLimit());
        assertEquals(BrokerConfig.PROTOCOL_MAX_MESSAGE_SIZE, config.effectiveMessageSizeLimit());
        assertEquals(65535, config.maxKeepalive());
        assertEquals(0, config.maxPacketSize(), "no limit");
        assertEquals(10, config.listeners().get(0).maxTopicAlias());
        assertEquals(-1, config.maxConnections());
        assertEquals(10, config.sysInterval());
    }

    @Test
    void clientHandlingIsMosquittos() {
        assertFalse(config.perListenerSettings());
        assertTrue(config.allowZeroLengthClientId());
        assertEquals("auto-", config.autoIdPrefix());
        assertTrue(config.retainAvailable());
        assertFalse(config.upgradeOutgoingQos());
        assertFalse(config.queueQos0Messages());
        assertTrue(config.connectionMessages());
        assertEquals(Optional.empty(), config.clientIdPrefixesFor(config.listeners().get(0)));
        assertFalse(config.checkRetainSource());
        assertEquals(Optional.empty(), config.persistentClientExpiration());
        assertEquals(Optional.empty(), config.passwordFile());
        assertEquals(Optional.empty(), config.aclFile());
    }

    @Test
    void loggingIsMosquittos() {
        assertEquals(EnumSet.of(LogType.ERROR, LogType.WARNING, LogType.NOTICE, LogType.INFORMATION),
                config.logTypes());
        assertEquals(List.of(LogDest.of(LogDest.Kind.STDERR)), config.logDests());
        assertTrue(config.logTimestamp());
        assertEquals(null, config.logTimestampFormat());
        assertEquals(Optional.empty(), config.logTimestampFormatter());
        assertEquals(OptionalInt.empty(), config.logFacility());
    }

    @Test
    void persistenceIsOffAndStoresInTheWorkingDirectory() {
        assertFalse(config.persistence());
        assertEquals(Path.of("").toAbsolutePath(), config.persistenceLocation());
        assertEquals("mosquitto.db", config.persistenceFile());
        assertEquals(Path.of("").toAbsolutePath().resolve("mosquitto.db"), config.persistenceFilePath());
        assertEquals(1800, config.autosaveInterval());
    }

    @Test
    void nothingToWarnAbout() {
        assertTrue(config.bridges().isEmpty());
        assertTrue(config.warnings().isEmpty());
    }
}
