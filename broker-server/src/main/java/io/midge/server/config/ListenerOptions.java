package io.midge.server.config;

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
        table.add("listener", ListenerOptions::openListener);
        // port and bind_address always configure the default listener, wherever they appear.
        table.add("port", (d, scope) -> addressDefaultListener(scope, d).port = d.intInRange(0, UINT16_MAX));
        table.add("bind_address", (d, scope) -> addressDefaultListener(scope, d).bindAddress = d.word());
        table.listener("protocol", ListenerOptions::protocol);
        table.listener("socket_domain", (l, d) -> l.socketDomain = d.keyword(SocketDomain.class));
        table.listener("mount_point", (l, d) -> l.mountPoint = mountPoint(d));
        table.listener("max_connections", (l, d) -> l.maxConnections = d.intInRange(-1, Integer.MAX_VALUE));
        // maximum_qos is mosquitto's older name for the same option.
        for (String name : List.of("max_qos", "maximum_qos")) {
            table.listener(name, (l, d) -> l.maxQos = d.intInRange(0, 2));
        }
        table.listener("use_username_as_clientid", (l, d) -> l.useUsernameAsClientId = d.bool());
        table.listener("bind_interface", notYet(validateOnly(Directive::word)));
        table.listener("http_dir", notYet(validateOnly(Directive::path)));
    }

    private static void registerTls(OptionTable table) {
        table.listener("cafile", (l, d) -> l.cafile = d.path());
        table.listener("capath", (l, d) -> l.capath = d.path());
        table.listener("certfile", (l, d) -> l.certfile = d.path());
        table.listener("keyfile", (l, d) -> l.keyfile = d.path());
        table.listener("crlfile", (l, d) -> l.crlfile = d.path());
        table.listener("require_certificate", (l, d) -> l.requireCertificate = d.bool());
        table.listener("use_identity_as_username", (l, d) -> l.useIdentityAsUsername = d.bool());
        table.listener("use_subject_as_username", (l, d) -> l.useSubjectAsUsername = d.bool());
        table.listener("tls_version", (l, d) -> l.tlsVersion = d.choice(TLS_VERSIONS));
        table.listener("ciphers", (l, d) -> l.ciphers = d.string());
        table.listener("ciphers_tls1.3", notYet(validateOnly(Directive::string)));
        table.listener("dhparamfile", notYet(validateOnly(Directive::path)));
        table.listener("tls_engine", notYet(validateOnly(Directive::string)));
        table.listener("tls_engine_kpass_sha1", notYet(validateOnly(d -> d.hex())));
        table.listener("tls_keyform", notYet(validateOnly(d -> d.choice(List.of("pem", "engine")))));
        table.add("psk_hint", OptionTable.refused(NO_TLS_PSK));
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
