package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WarningsTest extends ConfigFileTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "plugin p.so", "auth_plugin p.so",
        "plugin_opt_db x", "auth_opt_db x", "auth_plugin_deny_special_chars true",
        "ciphers_tls1.3 TLS_AES_256_GCM_SHA384", "dhparamfile dh.pem",
        "tls_engine e", "tls_engine_kpass_sha1 ab", "tls_keyform pem", "bind_interface eth0"})
    void notYetActiveOptionsWarn(String line) throws Exception {
        String name = line.split(" ")[0];

        BrokerConfig config = files.parse("max_keepalive 60", line);

        assertEquals(List.of(files.at(2) + name + " is not supported yet; ignored."), config.warnings());
    }


    @Test
    void tlsListenerDoesNotWarn() throws Exception {
        assertTrue(files.parse("listener 8883", "certfile c.crt", "keyfile c.key").warnings().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"retry_interval 20", "store_clean_interval 10"})
    void obsoleteOptionsWarn(String line) throws Exception {
        String name = line.split(" ")[0];

        assertEquals(List.of(files.at(1) + name + " is obsolete; ignored."), files.parse(line).warnings());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "set_tcp_nodelay false", "websockets_log_level 0", "websockets_headers_size 1024",
        "allow_duplicate_messages false", "log_facility 3", "persistence false", "per_listener_settings false",
        "sys_interval 0", "sys_interval 10", "allow_anonymous true", "max_queued_messages 10", "protocol mqtt",
        "persistent_client_expiration 2h", "mount_point m/", "socket_domain ipv4", "max_connections 5",
        "password_file passwd", "acl_file acl", "per_listener_settings true", "cafile ca.pem", "capath /etc/ssl",
        "crlfile crl.pem", "require_certificate false", "use_identity_as_username true", "max_topic_alias 10",
        "pid_file /run/m.pid", "max_packet_size 1000", "memory_limit 100", "max_inflight_bytes 100",
        "persistence true", "persistence_file m.db", "persistence_location /var/lib/m/", "autosave_interval 60",
        "autosave_on_changes true", "persistence_durability batch", "persistence_sync_interval 20",
        "use_subject_as_username true", "tls_version tlsv1.2", "ciphers HIGH", "protocol websockets"})
    void harmlessOrActiveOptionsDoNotWarn(String line) throws Exception {
        assertTrue(files.parse(line).warnings().isEmpty());
    }

    @Test
    void warningsFromIncludedFilesNameThoseFiles() throws Exception {
        files.write("conf.d/tls.conf", "listener 8883", "dhparamfile dh.pem");

        BrokerConfig config = files.parse("plugin p.so", "include_dir conf.d");

        assertEquals(List.of(files.at(1) + "plugin is not supported yet; ignored.",
                files.at("conf.d/tls.conf", 2) + "dhparamfile is not supported yet; ignored."), config.warnings());
    }
}
