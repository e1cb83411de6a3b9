package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenerOptionsTest extends ConfigFileTest {

    @Test
    void listenerBlocksCollectTheirOwnOptions() throws Exception {
        BrokerConfig config = files.parse(
                "listener 1883",
                "max_connections 100",
                "socket_domain ipv4",
                "",
                "listener 1884 10.0.0.1",
                "protocol websockets",
                "mount_point site/",
                "",
                "listener 0 localhost");

        assertEquals(3, config.listeners().size());
        ListenerConfig plain = config.listeners().get(0);
        assertEquals(1883, plain.port());
        assertEquals(null, plain.bindAddress(), "listener without address binds all interfaces");
        assertEquals(100, plain.maxConnections());
        assertEquals(SocketDomain.IPV4, plain.socketDomain());
        assertEquals(ListenerProtocol.MQTT, plain.protocol());
        ListenerConfig websockets = config.listeners().get(1);
        assertEquals(1884, websockets.port());
        assertEquals("10.0.0.1", websockets.bindAddress());
        assertEquals(ListenerProtocol.WEBSOCKETS, websockets.protocol());
        assertEquals("site/", websockets.mountPoint());
        assertEquals(-1, websockets.maxConnections());
        assertEquals(0, config.listeners().get(2).port());
        assertEquals(-1, config.maxConnections(), "max_connections inside a block is not global");
    }

    @Test
    void httpListenerCollectsItsAccessOptions() throws Exception {
        BrokerConfig config = files.parse(
                "listener 1883",
                "listener 8080 127.0.0.1",
                "protocol http",
                "http_admin alice",
                "http_admin bob",
                "http_token s3cret",
                "http_allow_anonymous true");

        ListenerConfig http = config.listeners().get(1);
        assertEquals(ListenerProtocol.HTTP, http.protocol());
        assertEquals(new HttpAccessConfig(List.of("alice", "bob"), "s3cret", true), http.httpAccess());
        assertEquals(HttpAccessConfig.NONE, config.listeners().get(0).httpAccess());
    }

    @Test
    void httpAccessOptionsOnAnotherListenerAreAnErrorAtTheirLine() {
        ConfigException e = files.fail(
                "listener 9001",
                "protocol websockets",
                "http_admin alice");

        assertEquals(files.at(3) + "http_admin, http_token and http_allow_anonymous are options of a listener with"
                + " protocol http; the listener on port 9001 (all interfaces) has protocol websockets.", e.getMessage());
    }

    @Test
    void httpDirIsKeptForItsListener() throws Exception {
        BrokerConfig config = files.parse("listener 9001", "protocol websockets", "http_dir /var/www");

        assertEquals(Optional.of(Path.of("/var/www")), config.listeners().get(0).httpDir());
    }

    @Test
    void portAloneListensOnAllInterfaces() throws Exception {
        BrokerConfig config = files.parse("port 1884");

        assertEquals(1, config.listeners().size());
        assertEquals(1884, config.listeners().get(0).port());
        assertEquals(null, config.listeners().get(0).bindAddress());
    }

    @Test
    void bindAddressAloneListensOnPort1883OfThatAddress() throws Exception {
        BrokerConfig config = files.parse("bind_address 192.168.1.2");

        assertEquals(1, config.listeners().size());
        assertEquals(1883, config.listeners().get(0).port());
        assertEquals("192.168.1.2", config.listeners().get(0).bindAddress());
    }

    @Test
    void portAndBindAddressAlwaysConfigureTheDefaultListener() throws Exception {
        BrokerConfig config = files.parse("listener 8883", "port 1884", "bind_address 10.0.0.1");

        assertEquals(2, config.listeners().size());
        assertEquals(new ListenerSummary(1884, "10.0.0.1"), ListenerSummary.of(config.listeners().get(0)));
        assertEquals(new ListenerSummary(8883, null), ListenerSummary.of(config.listeners().get(1)));
    }

    @Test
    void listenerOptionsBeforeAnyListenerApplyToTheDefaultListener() throws Exception {
        BrokerConfig config = files.parse("max_connections 10", "mount_point pre/", "listener 1884");

        assertEquals(2, config.listeners().size());
        ListenerConfig defaultListener = config.listeners().get(0);
        assertEquals(1883, defaultListener.port());
        assertEquals(null, defaultListener.bindAddress(), "a listener elsewhere ends local-only mode");
        assertEquals(10, defaultListener.maxConnections());
        assertEquals("pre/", defaultListener.mountPoint());
        assertEquals(10, config.maxConnections());
        assertEquals(-1, config.listeners().get(1).maxConnections());
    }

    @Test
    void listenerOptionsWithoutAnyListenerKeepLocalOnlyMode() throws Exception {
        BrokerConfig config = files.parse("mount_point pre/");

        assertEquals(1, config.listeners().size());
        assertTrue(config.listeners().get(0).localOnly());
        assertEquals("pre/", config.listeners().get(0).mountPoint());
        assertTrue(config.allowAnonymous());
    }

    @Test
    void maxTopicAliasIsPerListenerAndDefaultsToMosquittos10() throws Exception {
        BrokerConfig config = files.parse("listener 1883", "max_topic_alias 0", "listener 1884",
                "listener 1885", "max_topic_alias 65535");

        assertEquals(List.of(0, 10, 65535), config.listeners().stream().map(ListenerConfig::maxTopicAlias).toList());
        assertEquals(10, ConfigParser.defaults().listeners().get(0).maxTopicAlias());
    }

    /** mosquitto 2.0.11 too opens only port 1884 for this file. */
    @Test
    void maxTopicAliasBeforeAnyListenerDoesNotOpenTheDefaultListener() throws Exception {
        BrokerConfig config = files.parse("max_topic_alias 5", "listener 1884");

        assertEquals(List.of(1884), config.listeners().stream().map(ListenerConfig::port).toList());
        assertEquals(10, config.listeners().get(0).maxTopicAlias());
    }

    @Test
    void maxTopicAliasBeforeAnyListenerIsTheDefaultListenersOnceItIsOpened() throws Exception {
        BrokerConfig config = files.parse("max_topic_alias 5", "listener 1884", "port 1883");

        assertEquals(List.of(1883, 1884), config.listeners().stream().map(ListenerConfig::port).toList());
        assertEquals(List.of(5, 10), config.listeners().stream().map(ListenerConfig::maxTopicAlias).toList());
        assertEquals(5, files.parse("max_topic_alias 5").listeners().get(0).maxTopicAlias(), "local only mode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "ten"})
    void maxTopicAliasOutOfRangeNamesFileAndLine(String value) {
        ConfigException e = files.fail("listener 1883", "max_topic_alias " + value);

        assertEquals(files.at(2) + "Invalid value for max_topic_alias: \"" + value
                + "\" (expected an integer between 0 and 65535).", e.getMessage());
    }

    @Test
    void sameListenerTwiceIsAnError() {
        ConfigException e = files.fail("listener 1883", "listener 1884", "listener 1883");

        assertEquals(files.at(3) + "Duplicate listener on port 1883 (all interfaces); also defined at "
                + files.at(1).replaceAll(": $", "") + ".", e.getMessage());
    }

    @Test
    void sameListenerTwiceWithBindAddressIsAnError() {
        ConfigException e = files.fail("listener 1883 127.0.0.1", "listener 1883 127.0.0.1");

        assertTrue(e.getMessage().startsWith(files.at(2) + "Duplicate listener on port 1883 on 127.0.0.1"),
                e.getMessage());
    }

    @Test
    void defaultListenerCollidingWithABlockIsAnError() {
        ConfigException e = files.fail("listener 1884", "port 1884");

        assertTrue(e.getMessage().startsWith(files.at(1) + "Duplicate listener on port 1884"), e.getMessage());
    }

    @Test
    void samePortOnDifferentAddressesOrEphemeralPortsIsFine() throws Exception {
        BrokerConfig config = files.parse(
                "listener 1883 127.0.0.1", "listener 1883 ::1", "listener 0", "listener 0");

        assertEquals(4, config.listeners().size());
    }

    @Test
    void listenerNeedsAPort() {
        ConfigException e = files.fail("listener");

        assertEquals(files.at(1) + "Missing value for listener (expected a port and an optional bind address).",
                e.getMessage());
    }

    @Test
    void listenerPortMustBeInRange() {
        ConfigException e = files.fail("listener 65536");

        assertEquals(files.at(1) + "Invalid value for listener: \"65536\" (expected an integer between 0 and 65535).",
                e.getMessage());
    }

    @Test
    void listenerTakesAtMostAPortAndAnAddress() {
        ConfigException e = files.fail("listener 1883 0.0.0.0 extra");

        assertTrue(e.getMessage().startsWith(files.at(1) + "Invalid value for listener"), e.getMessage());
    }

    @Test
    void portMustBeANumber() {
        ConfigException e = files.fail("port 18a3");

        assertEquals(files.at(1) + "Invalid value for port: \"18a3\" (expected an integer between 0 and 65535).",
                e.getMessage());
    }

    @Test
    void tlsListenerKeepsItsFiles() throws Exception {
        BrokerConfig config = files.parse(
                "listener 8883",
                "cafile certs/ca.pem",
                "capath /etc/ssl/certs",
                "certfile certs/server.crt",
                "keyfile certs/server.key",
                "crlfile certs/crl.pem",
                "require_certificate true",
                "use_identity_as_username true",
                "use_subject_as_username false",
                "tls_version tlsv1.2",
                "ciphers ECDHE-RSA-AES256-GCM-SHA384:!aNULL");

        ListenerConfig tls = config.listeners().get(0);
        assertTrue(tls.isTls());
        assertEquals(Optional.of(dir.resolve("certs/ca.pem")), tls.cafile());
        assertEquals(Optional.of(Path.of("/etc/ssl/certs")), tls.capath());
        assertEquals(Optional.of(dir.resolve("certs/server.crt")), tls.certfile());
        assertEquals(Optional.of(dir.resolve("certs/server.key")), tls.keyfile());
        assertEquals(Optional.of(dir.resolve("certs/crl.pem")), tls.crlfile());
        assertTrue(tls.requireCertificate());
        assertTrue(tls.useIdentityAsUsername());
        assertFalse(tls.useSubjectAsUsername());
        assertEquals("tlsv1.2", tls.tlsVersion());
        assertEquals("ECDHE-RSA-AES256-GCM-SHA384:!aNULL", tls.ciphers());
    }

    @Test
    void certfileWithoutKeyfileIsAnError() {
        ConfigException e = files.fail("listener 8883", "certfile server.crt");

        assertEquals(files.at(1) + "Listener on port 8883 (all interfaces) needs both certfile and keyfile for TLS.",
                e.getMessage());
    }

    @Test
    void plainListenerIsNotTls() throws Exception {
        BrokerConfig config = files.parse("listener 8883", "cafile ca.pem");

        assertFalse(config.listeners().get(0).isTls());
    }

    /** Port and address only, to compare listeners briefly. */
    private record ListenerSummary(int port, String bindAddress) {
        static ListenerSummary of(ListenerConfig listener) {
            return new ListenerSummary(listener.port(), listener.bindAddress());
        }
    }

    @Test
    void listenerOrderIsDefaultFirstThenBlocksInFileOrder() throws Exception {
        BrokerConfig config = files.parse("listener 3", "port 1", "listener 2");

        assertEquals(List.of(1, 3, 2), config.listeners().stream().map(ListenerConfig::port).toList());
    }
}
