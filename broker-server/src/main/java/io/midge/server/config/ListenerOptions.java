package io.midge.server.config;

import static io.midge.server.config.OptionTable.midgeOnly;
import static io.midge.server.config.OptionTable.notYet;
import static io.midge.server.config.OptionTable.validateOnly;

import java.util.List;

/** {@code listener}, the default listener's {@code port}/{@code bind_address}, and listener options. */
final class ListenerOptions {

    static final List<String> TLS_VERSIONS = List.of("tlsv1.3", "tlsv1.2", "tlsv1.1");
    /** Why psk_hint and psk_file stop the broker: a listener meant for TLS-PSK must never fall back to plain text. */
    static final String NO_TLS_PSK = "TLS-PSK is not supported (the JDK has no TLS-PSK), and a listener meant for it"
            + " must not run without encryption; use certfile and keyfile instead.";
    private static final int UINT16_MAX = 65535;

    private ListenerOptions() {
    }

    static void register(OptionTable table) {
        registerSockets(table);
        registerTls(table);
    }

    private static void registerSockets(OptionTable table) {
        table.add("listener", "listener PORT [BIND_ADDRESS] opens a listener; the options after it are its own",
                ListenerOptions::openListener);
        // port and bind_address always configure the default listener, wherever they appear.
        table.add("port", "port of the default listener (mosquitto 1.x style; use listener)",
                (d, scope) -> addressDefaultListener(scope, d).port = d.intInRange(0, UINT16_MAX));
        table.add("bind_address", "address of the default listener (mosquitto 1.x style; use listener)",
                (d, scope) -> addressDefaultListener(scope, d).bindAddress = d.word());
        table.listener("protocol", "mqtt, websockets, or http (Midge only: metrics, JSON API and dashboard)",
                ListenerOptions::protocol);
        table.listener("socket_domain", "ipv4 or ipv6 only, for a listener without a bind address",
                (l, d) -> l.socketDomain = d.keyword(SocketDomain.class));
        table.listener("mount_point", "topic prefix added to this listener's clients' topics",
                (l, d) -> l.mountPoint = mountPoint(d));
        table.listener("max_connections", "clients this listener accepts at once; -1: no limit",
                (l, d) -> l.maxConnections = d.intInRange(-1, Integer.MAX_VALUE));
        table.listener("max_connection_rate_per_address", "new connections one source address may open on this"
                        + " listener per second; beyond it they are closed unanswered; 0: no limit",
                midgeOnly((l, d) -> l.maxConnectionRatePerAddress = d.intInRange(0, Integer.MAX_VALUE)));
        // maximum_qos is mosquitto's older name for the same option.
        for (String name : List.of("max_qos", "maximum_qos")) {
            table.listener(name, "highest QoS this listener grants (maximum_qos: the older name)",
                    (l, d) -> l.maxQos = d.intInRange(0, 2));
        }
        table.add("max_topic_alias", OptionScope.LISTENER, OptionStatus.SUPPORTED, "",
                "topic aliases an MQTT 5 client may set, told in CONNACK; 0: none",
                (d, scope) -> scope.listenerLeftUnopened().maxTopicAlias = d.intInRange(0, UINT16_MAX));
        table.listener("use_username_as_clientid", "replace the client id with the user name",
                (l, d) -> l.useUsernameAsClientId = d.bool());
        table.listener("bind_interface", "network interface to listen on", notYet(validateOnly(Directive::word)));
        table.listener("http_dir", "directory a websockets listener serves plain HTTP GET requests from",
                (l, d) -> l.httpDir = d.path());
        table.listener("http_admin", "user (from the password file) who may disconnect clients, delete retained"
                        + " messages and reload through a protocol http listener; may be repeated",
                midgeOnly((l, d) -> {
                    l.httpAccessAt(d.location());
                    l.httpAdmins.add(d.word());
                }));
        table.listener("http_token", "bearer token that grants a protocol http listener's read-only endpoints",
                midgeOnly((l, d) -> {
                    l.httpAccessAt(d.location());
                    l.httpToken = d.word();
                }));
        table.listener("http_allow_anonymous", "a protocol http listener's read-only endpoints need no credentials",
                midgeOnly((l, d) -> {
                    l.httpAccessAt(d.location());
                    l.httpAllowAnonymous = d.bool();
                }));
    }

    private static void registerTls(OptionTable table) {
        table.listener("cafile", "CA certificates (PEM) that client certificates must chain to",
                (l, d) -> l.cafile = d.path());
        table.listener("capath", "directory of CA certificates (PEM), as cafile", (l, d) -> l.capath = d.path());
        table.listener("certfile", "server certificate chain (PEM); with keyfile, makes the listener TLS",
                (l, d) -> l.certfile = d.path());
        table.listener("keyfile", "server private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)",
                (l, d) -> l.keyfile = d.path());
        table.listener("crlfile", "certificate revocation list (PEM) for client certificates",
                (l, d) -> l.crlfile = d.path());
        table.listener("require_certificate", "clients must present a valid certificate",
                (l, d) -> l.requireCertificate = d.bool());
        table.listener("use_identity_as_username", "the certificate's CN is the user name; no password check",
                (l, d) -> l.useIdentityAsUsername = d.bool());
        table.listener("use_subject_as_username", "the certificate's subject is the user name; no password check",
                (l, d) -> l.useSubjectAsUsername = d.bool());
        table.listener("tls_version", "lowest TLS version allowed: tlsv1.3, tlsv1.2 or tlsv1.1",
                (l, d) -> l.tlsVersion = d.choice(TLS_VERSIONS));
        table.listener("ciphers", "TLS 1.2 and older cipher suites, OpenSSL names", (l, d) -> l.ciphers = d.string());
        table.listener("ciphers_tls1.3", "TLS 1.3 cipher suites", notYet(validateOnly(Directive::string)));
        table.listener("dhparamfile", "Diffie-Hellman parameters for DHE ciphers",
                notYet(validateOnly(Directive::path)));
        table.listener("tls_engine", "OpenSSL engine for TLS", notYet(validateOnly(Directive::string)));
        table.listener("tls_engine_kpass_sha1", "SHA-1 of the engine's key password",
                notYet(validateOnly(d -> d.hex())));
        table.listener("tls_keyform", "pem or engine: how keyfile is read",
                notYet(validateOnly(d -> d.choice(List.of("pem", "engine")))));
        table.refuse("psk_hint", OptionScope.LISTENER, "TLS-PSK identity hint of this listener", NO_TLS_PSK);
    }

    private static void openListener(Directive directive, FileScope scope) throws ConfigException {
        String expected = "a port and an optional bind address";
        List<String> words = directive.words(expected);
        if (words.size() > 2) {
            throw directive.invalid(expected);
        }
        int port = (int) directive.parseLong(words.get(0), 0, UINT16_MAX);
        String bindAddress = words.size() == 2 ? words.get(1) : null;
        scope.enterListener(scope.config().listeners.open(port, bindAddress, directive.location()));
    }

    private static ListenerBuilder addressDefaultListener(FileScope scope, Directive directive) {
        ListenerSet listeners = scope.config().listeners;
        listeners.defaultListenerAddressed();
        ListenerBuilder listener = listeners.defaultListener();
        listener.touchedAt(directive.location());
        return listener;
    }

    private static void protocol(ListenerBuilder listener, Directive directive) throws ConfigException {
        listener.protocol = directive.keyword(ListenerProtocol.class);
    }

    private static String mountPoint(Directive directive) throws ConfigException {
        String prefix = directive.string();
        if (!TopicSyntax.isValidTopicName(prefix)) {
            throw directive.invalid("a topic without wildcards");
        }
        return prefix;
    }
}
