package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One accepted and one rejected value for every option the parser knows; a completeness check
 * makes sure new options get a row here.
 */
class EveryOptionTest extends ConfigFileTest {

    /** Bridge options need an open connection block. */
    private static final String BRIDGE = "connection b\naddress remote.example\ntopic #\n";

    /** The configuration reference's entry of every option, by name. */
    private static final Map<String, OptionInfo> INFOS = OptionTable.mosquitto().infos().stream()
            .collect(Collectors.toMap(OptionInfo::name, info -> info));
    /** Options recognised only to refuse them with a reason (no TLS-PSK in the JDK). */
    private static final List<String> REFUSED = INFOS.values().stream()
            .filter(info -> info.status() == OptionStatus.REFUSED).map(OptionInfo::name).toList();

    /** Option → {good value lines, bad value}; a bad value of null means "value missing". */
    private static final Map<String, String[]> CASES = new LinkedHashMap<>();

    static {
        // General limits and client handling.
        row("max_inflight_messages", "max_inflight_messages 0", "65536");
        row("max_queued_messages", "max_queued_messages 100", "-1");
        row("max_queued_bytes", "max_queued_bytes 1000000000000", "-1");
        row("message_size_limit", "message_size_limit 268435455", "268435456");
        row("max_keepalive", "max_keepalive 0", "65536");
        row("allow_zero_length_clientid", "allow_zero_length_clientid false", "no");
        row("auto_id_prefix", "auto_id_prefix gen-", null);
        row("retain_available", "retain_available false", "FALSE");
        row("upgrade_outgoing_qos", "upgrade_outgoing_qos true", "2");
        row("queue_qos0_messages", "queue_qos0_messages true", "yes");
        row("connection_messages", "connection_messages false", "off");
        row("clientid_prefixes", "clientid_prefixes sensor-", null);
        row("check_retain_source", "check_retain_source true", "yes");
        row("persistent_client_expiration", "persistent_client_expiration 1y", "14");
        row("sys_interval", "sys_interval 0", "-1");
        row("pid_file", "pid_file /run/mosquitto.pid", null);
        // Logging.
        row("log_type", "log_type subscribe", "verbose");
        row("log_dest", "log_dest stdout", "console");
        row("log_timestamp", "log_timestamp false", "off");
        row("log_timestamp_format", "log_timestamp_format %Y-%m-%dT%H:%M:%S", "%Q");
        row("log_facility", "log_facility 5", "8");
        // Listeners.
        row("listener", "listener 8883 0.0.0.0", "65536");
        row("port", "port 1884", "-1");
        row("bind_address", "bind_address 0.0.0.0", "a b");
        row("protocol", "protocol http", "ftp");
        row("socket_domain", "socket_domain ipv6", "ipv5");
        row("mount_point", "mount_point site/a/", "site/#/");
        row("max_connections", "max_connections -1", "-2");
        row("max_connection_rate_per_address", "max_connection_rate_per_address 10", "-1");
        row("bind_interface", "bind_interface eth0", "eth0 eth1");
        row("use_username_as_clientid", "use_username_as_clientid true", "maybe");
        row("max_qos", "max_qos 0", "3");
        row("maximum_qos", "maximum_qos 1", "-1");
        row("max_topic_alias", "max_topic_alias 65535", "65536");
        row("http_dir", "http_dir /var/www", null);
        row("http_admin", "listener 8080\nprotocol http\nhttp_admin alice", null);
        row("http_token", "listener 8080\nprotocol http\nhttp_token 0123456789abcdef", null);
        row("http_allow_anonymous", "listener 8080\nprotocol http\nhttp_allow_anonymous true", "yes");
        row("cafile", "cafile ca.pem", null);
        row("capath", "capath /etc/ssl/certs", null);
        row("certfile", "certfile server.crt\nkeyfile server.key", null);
        row("keyfile", "keyfile server.key\ncertfile server.crt", null);
        row("crlfile", "crlfile crl.pem", null);
        row("require_certificate", "require_certificate true", "required");
        row("use_identity_as_username", "use_identity_as_username true", "TRUE");
        row("use_subject_as_username", "use_subject_as_username true", "-1");
        row("tls_version", "tls_version tlsv1.3", "tlsv1");
        row("ciphers", "ciphers ECDHE-RSA-AES128-GCM-SHA256:!aNULL", null);
        row("ciphers_tls1.3", "ciphers_tls1.3 TLS_AES_128_GCM_SHA256", null);
        row("dhparamfile", "dhparamfile dh.pem", null);
        row("tls_engine", "tls_engine pkcs11", null);
        row("tls_engine_kpass_sha1", "tls_engine_kpass_sha1 0123456789abcdef", "not-hex");
        row("tls_keyform", "tls_keyform engine", "der");
        // Security.
        row("per_listener_settings", "per_listener_settings true", "True");
        row("allow_anonymous", "allow_anonymous true", "yes");
        row("password_file", "password_file passwd", null);
        row("acl_file", "acl_file acl", null);
        row("plugin", "plugin /usr/lib/plugin.so", null);
        row("auth_plugin", "auth_plugin /usr/lib/plugin.so", null);
        row("auth_plugin_deny_special_chars", "auth_plugin_deny_special_chars false", "no");
        row("plugin_opt_", "plugin_opt_host db.example", null);
        row("auth_opt_", "auth_opt_host db.example", null);
        // Persistence.
        row("persistence", "persistence true", "on");
        row("retained_persistence", "retained_persistence true", "on");
        row("persistence_file", "persistence_file broker.db", null);
        row("persistence_location", "persistence_location /var/lib/midge/", null);
        row("autosave_interval", "autosave_interval 60", "-1");
        row("autosave_on_changes", "autosave_on_changes true", "sometimes");
        row("persistence_durability", "persistence_durability snapshot", "always");
        row("persistence_sync_interval", "persistence_sync_interval 100", "0");
        // Ignored.
        row("user", "user mosquitto", null);
        row("memory_limit", "memory_limit 1000000", "-1");
        row("max_packet_size", "max_packet_size 20", "19");
        row("max_inflight_bytes", "max_inflight_bytes 0", "-1");
        row("set_tcp_nodelay", "set_tcp_nodelay true", "yes");
        row("websockets_log_level", "websockets_log_level 255", "x");
        row("websockets_headers_size", "websockets_headers_size 4096", "65536");
        row("allow_duplicate_messages", "allow_duplicate_messages true", "yes");
        row("retry_interval", "retry_interval 20", "20s");
        row("store_clean_interval", "store_clean_interval 10", "10s");
        // Bridges.
        row("connection", "connection other\naddress h\ntopic #", "two words");
        row("address", BRIDGE + "address broker.example:8883", "host:port");
        row("addresses", BRIDGE + "addresses a.example b.example:1884", "a.example:0");
        row("round_robin", BRIDGE + "round_robin true", "y");
        row("topic", BRIDGE + "topic sensors/# both 1 local/ remote/", "a/# sideways");
        row("bridge_bind_address", BRIDGE + "bridge_bind_address 10.0.0.1", "a b");
        row("bridge_protocol_version", BRIDGE + "bridge_protocol_version mqttv31", "mqttv5");
        row("bridge_max_packet_size", BRIDGE + "bridge_max_packet_size 1024", "-1");
        row("remote_clientid", BRIDGE + "remote_clientid bridge-1", null);
        row("clientid", BRIDGE + "clientid bridge-1", null);
        row("remote_username", BRIDGE + "remote_username user", null);
        row("username", BRIDGE + "username user", null);
        row("remote_password", BRIDGE + "remote_password secret", null);
        row("password", BRIDGE + "password secret", null);
        row("local_clientid", BRIDGE + "local_clientid local-1", null);
        row("local_username", BRIDGE + "local_username user", null);
        row("local_password", BRIDGE + "local_password secret", null);
        row("cleansession", BRIDGE + "cleansession true", "01");
        row("local_cleansession", BRIDGE + "local_cleansession false", "no");
        row("keepalive_interval", BRIDGE + "keepalive_interval 30", "65536");
        row("start_type", BRIDGE + "start_type lazy", "manual");
        row("restart_timeout", BRIDGE + "restart_timeout 10 120", "0");
        row("idle_timeout", BRIDGE + "idle_timeout 120", "-1");
        row("threshold", BRIDGE + "threshold 5", "0");
        row("try_private", BRIDGE + "try_private false", "no");
        row("notifications", BRIDGE + "notifications false", "no");
        row("notifications_local_only", BRIDGE + "notifications_local_only true", "yes");
        row("notification_topic", BRIDGE + "notification_topic bridges/b/state", "bridges/+/state");
        row("bridge_outgoing_retain", BRIDGE + "bridge_outgoing_retain false", "no");
        row("bridge_attempt_unsubscribe", BRIDGE + "bridge_attempt_unsubscribe false", "no");
        row("bridge_cafile", BRIDGE + "bridge_cafile ca.pem", null);
        row("bridge_capath", BRIDGE + "bridge_capath /etc/ssl/certs", null);
        row("bridge_certfile", BRIDGE + "bridge_certfile c.crt\nbridge_keyfile c.key", null);
        row("bridge_keyfile", BRIDGE + "bridge_keyfile c.key\nbridge_certfile c.crt", null);
        row("bridge_insecure", BRIDGE + "bridge_insecure true", "yes");
        row("bridge_tls_version", BRIDGE + "bridge_tls_version tlsv1.2", "ssl3");
        row("bridge_alpn", BRIDGE + "bridge_alpn mqtt", null);
        row("bridge_require_ocsp", BRIDGE + "bridge_require_ocsp true", "yes");
    }

    private static void row(String option, String goodLines, String badValue) {
        CASES.put(option, new String[] {goodLines, badValue});
    }

    static Stream<Arguments> cases() {
        return CASES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()[0], e.getValue()[1]));
    }

    @Test
    void everyKnownOptionHasACase() {
        TreeSet<String> covered = new TreeSet<>(CASES.keySet());
        covered.addAll(REFUSED);
        assertEquals(OptionTable.mosquitto().names(), covered);
    }

    @Test
    void onlyThePskOptionsAreRefused() {
        assertEquals(Set.of("psk_hint", "psk_file", "bridge_identity", "bridge_psk"), Set.copyOf(REFUSED));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"psk_hint", "psk_file"})
    void refusedOptionStopsTheStart(String option) {
        ConfigException e = files.fail("listener 8883", option + " value");

        assertTrue(e.getMessage().startsWith(files.at(2) + option + ": "), e.getMessage());
    }

    /** The reference's status is what the loader does: a warning exactly for the "ignored, warns" ones. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void goodValueWarnsExactlyWhenTheReferenceSaysSo(String option, String goodLines, String badValue)
            throws Exception {
        OptionInfo info = INFOS.get(option);

        List<String> warnings = files.parse(goodLines.split("\n")).warnings();

        assertEquals(info.status() == OptionStatus.ACCEPTED_IGNORED_WARNING, !warnings.isEmpty(),
                info + " gave " + warnings);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void goodValueIsAccepted(String option, String goodLines, String badValue) throws Exception {
        files.parse(goodLines.split("\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badOrMissingValueIsRejectedWithFileAndLine(String option, String goodLines, String badValue) {
        List<String> lines = new ArrayList<>(List.of(goodLines.split("\n")));
        // The option under test is the last line naming it; what follows it (the other half of a
        // pair, what a bridge needs besides its connection line) is not read once it fails.
        int at = lines.size() - 1;
        while (!lines.get(at).startsWith(option)) {
            at--;
        }
        String name = lines.get(at).split(" ")[0];
        lines.subList(at, lines.size()).clear();
        lines.add(badValue == null ? name : name + " " + badValue);
        ConfigException e = files.fail(lines.toArray(String[]::new));

        String expected = files.at(lines.size()) + (badValue == null
                ? "Missing value for " + name + " ("
                : "Invalid value for " + name + ": \"" + badValue + "\" (expected ");
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertTrue(e.getMessage().endsWith(")."), e.getMessage());
    }
}
