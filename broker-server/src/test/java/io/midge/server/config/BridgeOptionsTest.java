package io.midge.server.config;

import io.midge.core.bridge.BridgeTopicRule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BridgeOptionsTest extends ConfigFileTest {

    @Test
    void bridgeWithMosquittoDefaults() throws Exception {
        BridgeConfig bridge = files.parse("connection cloud", "address broker.example", "topic #").bridges().get(0);

        assertEquals("cloud", bridge.name());
        assertEquals(List.of(new BridgeAddress("broker.example", 1883)), bridge.addresses());
        assertFalse(bridge.roundRobin());
        assertEquals(List.of(new BridgeTopicRule("#", BridgeTopicRule.Direction.OUT, 0, "", "")), bridge.topics());
        assertEquals(new BridgeCredentials(null, null, null), bridge.remote());
        assertFalse(bridge.cleanSession());
        assertEquals(Optional.empty(), bridge.localCleanSession());
        assertEquals(60, bridge.keepaliveInterval());
        assertEquals(BridgeConfig.StartType.AUTOMATIC, bridge.startType());
        assertEquals(5, bridge.restartTimeoutBase());
        assertEquals(30, bridge.restartTimeoutCap());
        assertEquals(10, bridge.threshold());
        assertTrue(bridge.tryPrivate());
        assertTrue(bridge.notifications());
        assertEquals(BridgeConfig.ProtocolVersion.MQTTV311, bridge.protocolVersion());
        assertTrue(bridge.outgoingRetain());
        assertTrue(bridge.attemptUnsubscribe());
        assertFalse(bridge.tls().isEnabled());
    }

    @Test
    void bridgeOptionsAreKept() throws Exception {
        BridgeConfig bridge = files.parse(
                "connection cloud",
                "addresses a.example:8883 [::1]:1884 ::2",
                "round_robin true",
                "remote_clientid midge-bridge",
                "remote_username bridge user",
                "remote_password s3cret with blanks",
                "local_clientid local-bridge",
                "cleansession true",
                "local_cleansession false",
                "keepalive_interval 30",
                "start_type lazy",
                "restart_timeout 20",
                "idle_timeout 120",
                "threshold 3",
                "try_private false",
                "notifications false",
                "notifications_local_only true",
                "notification_topic bridges/cloud/state",
                "bridge_protocol_version mqttv31",
                "topic #",
                "bridge_outgoing_retain false",
                "bridge_attempt_unsubscribe false",
                "bridge_bind_address 10.0.0.2",
                "bridge_max_packet_size 4096",
                "bridge_cafile ca.pem",
                "bridge_insecure true",
                "bridge_tls_version tlsv1.3",
                "bridge_alpn mqtt").bridges().get(0);

        assertEquals(List.of(new BridgeAddress("a.example", 8883), new BridgeAddress("::1", 1884),
                new BridgeAddress("::2", 1883)), bridge.addresses());
        assertTrue(bridge.roundRobin());
        assertEquals(new BridgeCredentials("midge-bridge", "bridge user", "s3cret with blanks"), bridge.remote());
        assertEquals(new BridgeCredentials("local-bridge", null, null), bridge.local());
        assertTrue(bridge.cleanSession());
        assertEquals(Optional.of(false), bridge.localCleanSession());
        assertEquals(30, bridge.keepaliveInterval());
        assertEquals(BridgeConfig.StartType.LAZY, bridge.startType());
        assertEquals(20, bridge.restartTimeoutBase());
        assertEquals(0, bridge.restartTimeoutCap(), "a single restart_timeout value means a constant delay");
        assertEquals(120, bridge.idleTimeout());
        assertEquals(3, bridge.threshold());
        assertFalse(bridge.tryPrivate());
        assertFalse(bridge.notifications());
        assertTrue(bridge.notificationsLocalOnly());
        assertEquals("bridges/cloud/state", bridge.notificationTopic());
        assertEquals(BridgeConfig.ProtocolVersion.MQTTV31, bridge.protocolVersion());
        assertFalse(bridge.outgoingRetain());
        assertFalse(bridge.attemptUnsubscribe());
        assertEquals("10.0.0.2", bridge.bindAddress());
        assertEquals(4096, bridge.maxPacketSize());
        assertTrue(bridge.tls().isEnabled());
        assertEquals(Optional.of(dir.resolve("ca.pem")), bridge.tls().cafile());
        assertTrue(bridge.tls().insecure());
        assertEquals("tlsv1.3", bridge.tls().tlsVersion());
        assertEquals("mqtt", bridge.tls().alpn());
        assertFalse(bridge.remote().toString().contains("s3cret"), "passwords stay out of toString");
    }

    @Test
    void topicLinesInAllForms() throws Exception {
        BridgeConfig bridge = files.parse(
                "connection b",
                "address h",
                "topic #",
                "topic sensors/+/temp in",
                "topic cmd/# both 2",
                "topic # out 1 local/ remote/",
                "topic \"\" in 0 local/status remote/status").bridges().get(0);

        assertEquals(List.of(
                new BridgeTopicRule("#", BridgeTopicRule.Direction.OUT, 0, "", ""),
                new BridgeTopicRule("sensors/+/temp", BridgeTopicRule.Direction.IN, 0, "", ""),
                new BridgeTopicRule("cmd/#", BridgeTopicRule.Direction.BOTH, 2, "", ""),
                new BridgeTopicRule("#", BridgeTopicRule.Direction.OUT, 1, "local/", "remote/"),
                new BridgeTopicRule("", BridgeTopicRule.Direction.IN, 0, "local/status", "remote/status")),
                bridge.topics());
    }

    @Test
    void invalidTopicsAreRejected() {
        for (String topic : List.of("a/#/b", "a+", "# both 3", "\"\" in 0", "# out 0 lo+cal/ r/", "# out 0 l r extra")) {
            ConfigException e = files.fail("connection b", "address h", "topic " + topic);

            assertTrue(e.getMessage().startsWith(files.at(3) + "Invalid value for topic: \"" + topic + "\""),
                    e.getMessage());
        }
    }

    @Test
    void severalBridges() throws Exception {
        BrokerConfig config = files.parse("connection a", "address h1", "topic #", "connection b", "address h2", "topic #");

        assertEquals(List.of("a", "b"), config.bridges().stream().map(BridgeConfig::name).toList());
    }

    @Test
    void generalOptionsInsideABridgeBlockStayGlobal() throws Exception {
        BrokerConfig config = files.parse("connection a", "address h1", "topic #", "max_keepalive 30");

        assertEquals(30, config.maxKeepalive());
    }

    @Test
    void bridgeOptionOutsideAConnectionBlockIsAnError() {
        ConfigException e = files.fail("address broker.example");

        assertEquals(files.at(1) + "address is a bridge option and must follow a connection line.", e.getMessage());
    }

    @Test
    void bridgeNeedsAnAddress() {
        ConfigException e = files.fail("connection lonely", "topic #");

        assertEquals(files.at(1) + "Bridge connection \"lonely\" has no address.", e.getMessage());
    }

    @Test
    void bridgeNamesAreUnique() {
        ConfigException e = files.fail("connection a", "address h", "connection a");

        assertTrue(e.getMessage().startsWith(files.at(3) + "Duplicate bridge name \"a\""), e.getMessage());
    }

    @Test
    void certificateNeedsKey() {
        assertTrue(files.fail("connection a", "address h", "bridge_certfile c.crt").getMessage()
                .endsWith("needs both bridge_certfile and bridge_keyfile."));
    }

    /** The JDK has no TLS-PSK: a bridge configured for it stops the start rather than connect in plain text. */
    @Test
    void pskOptionsAreRefusedNamingFileAndLine() {
        for (String option : List.of("bridge_psk 00ff", "bridge_identity i")) {
            ConfigException e = files.fail("connection a", "address h", "bridge_cafile ca.pem", option);

            String name = option.substring(0, option.indexOf(' '));
            assertEquals(files.at(4) + name + ": " + BridgeOptions.NO_BRIDGE_TLS_PSK, e.getMessage());
        }
    }

    /** OCSP stapling is checked by BridgeTlsContext, so the option is kept as the other TLS options. */
    @Test
    void requireOcspIsKept() throws Exception {
        BridgeConfig bridge = files.parse("connection a", "address h", "topic #", "bridge_cafile ca.pem",
                "bridge_require_ocsp true").bridges().get(0);

        assertTrue(bridge.tls().requireOcsp());
    }

    @Test
    void restartTimeoutTakesBaseAndCap() throws Exception {
        BridgeConfig bridge = files.parse("connection a", "address h", "topic #", "restart_timeout 2 60").bridges().get(0);

        assertEquals(2, bridge.restartTimeoutBase());
        assertEquals(60, bridge.restartTimeoutCap());
        assertTrue(files.fail("connection a", "address h", "restart_timeout 1 2 3").getMessage()
                .contains("Invalid value for restart_timeout"));
    }

    @Test
    void aBridgeRunsWithoutWarnings() throws Exception {
        BrokerConfig config = files.parse("connection a", "address h", "topic #", "cleansession true");

        assertEquals(List.of(), config.warnings());
    }

    @Test
    void aBridgeWithoutTopicsIsRefusedAsMosquittoRefusesIt() {
        ConfigException e = files.fail("connection quiet", "address h");

        assertEquals(files.at(1) + "Invalid bridge configuration: no topics defined for connection \"quiet\".",
                e.getMessage());
    }

    @Test
    void mqtt5BridgesWaitForMqtt5() {
        ConfigException e = files.fail("connection a", "address h", "topic #", "bridge_protocol_version mqttv50");

        assertTrue(e.getMessage().contains("Midge does not speak MQTT 5 yet"), e.getMessage());
    }
}
