package io.midge.server.config;

import io.midge.core.bridge.BridgeTopicRule;

import java.util.List;

/** {@code connection NAME} and the bridge options that follow it, as mosquitto.conf(5) has them. */
final class BridgeOptions {

    private static final int DEFAULT_REMOTE_PORT = 1883;
    private static final String TOPIC_SYNTAX =
            "pattern [[[out | in | both] qos-level] local-prefix remote-prefix], qos-level 0..2";
    private static final String ADDRESS_SYNTAX = "one or more host[:port]";
    /** Why bridge_identity and bridge_psk stop the broker: a bridge meant for TLS-PSK must never connect in plain text. */
    static final String NO_BRIDGE_TLS_PSK = "TLS-PSK is not supported (the JDK has no TLS-PSK), and a bridge meant for it"
            + " must not connect without encryption; use bridge_cafile or bridge_capath instead.";
    /** mosquitto's way of writing an empty topic pattern or prefix. */
    private static final String EMPTY = "\"\"";

    private BridgeOptions() {
    }

    static void register(OptionTable table) {
        table.add("connection", OptionScope.BRIDGE, OptionStatus.SUPPORTED, "",
                "connection NAME starts a bridge; the options after it are its own", BridgeOptions::openBridge);
        registerConnection(table);
        registerCredentials(table);
        registerBehaviour(table);
        registerTls(table);
    }

    private static void registerConnection(OptionTable table) {
        table.bridge("address", "remote broker(s): host[:port] ...", BridgeOptions::addresses);
        table.bridge("addresses", "same as address", BridgeOptions::addresses);
        table.bridge("round_robin", "treat all addresses as equals instead of the first as the main one",
                (b, d) -> b.roundRobin = d.bool());
        table.bridge("topic", "pattern [in|out|both [qos [local-prefix remote-prefix]]] to bridge; repeatable",
                (b, d) -> b.topics.add(topic(d)));
        table.bridge("bridge_bind_address", "local address the bridge connects from",
                (b, d) -> b.bindAddress = d.word());
        table.bridge("bridge_protocol_version", "mqttv50, mqttv311 or mqttv31",
                (b, d) -> b.protocolVersion = d.keyword(BridgeConfig.ProtocolVersion.class));
        table.bridge("bridge_max_packet_size", "largest packet the bridge accepts from the remote; 0: no limit",
                (b, d) -> b.maxPacketSize = d.intInRange(0, Integer.MAX_VALUE));
    }

    private static void registerCredentials(OptionTable table) {
        // clientid, username and password are the pre-1.5 names mosquitto still accepts.
        for (String name : List.of("remote_clientid", "clientid")) {
            table.bridge(name, "client id on the remote broker (clientid: the older name)",
                    (b, d) -> b.remoteClientId = d.string());
        }
        for (String name : List.of("remote_username", "username")) {
            table.bridge(name, "user name on the remote broker (username: the older name)",
                    (b, d) -> b.remoteUsername = d.string());
        }
        for (String name : List.of("remote_password", "password")) {
            table.bridge(name, "password on the remote broker (password: the older name)",
                    (b, d) -> b.remotePassword = d.string());
        }
        table.bridge("local_clientid", "client id of the bridge on this broker",
                (b, d) -> b.localClientId = d.string());
        table.bridge("local_username", "user name of the bridge on this broker",
                (b, d) -> b.localUsername = d.string());
        table.bridge("local_password", "password of the bridge on this broker",
                (b, d) -> b.localPassword = d.string());
    }

    private static void registerBehaviour(OptionTable table) {
        table.bridge("cleansession", "clean session on the remote broker", (b, d) -> b.cleanSession = d.bool());
        table.bridge("local_cleansession", "clean session on this broker", (b, d) -> b.localCleanSession = d.bool());
        table.bridge("keepalive_interval", "keep alive towards the remote broker, seconds",
                (b, d) -> b.keepaliveInterval = d.intInRange(0, 65535));
        table.bridge("start_type", "automatic, lazy or once",
                (b, d) -> b.startType = d.keyword(BridgeConfig.StartType.class));
        table.bridge("restart_timeout", "seconds before reconnecting: base and cap, or a constant",
                BridgeOptions::restartTimeout);
        table.bridge("idle_timeout", "lazy bridges disconnect after this many idle seconds",
                (b, d) -> b.idleTimeout = d.intInRange(0, Integer.MAX_VALUE));
        table.bridge("threshold", "lazy bridges connect once this many messages are queued",
                (b, d) -> b.threshold = d.intInRange(1, Integer.MAX_VALUE));
        table.bridge("try_private", "tell the remote broker it is a bridge", (b, d) -> b.tryPrivate = d.bool());
        table.bridge("notifications", "publish the bridge's state on a topic", (b, d) -> b.notifications = d.bool());
        table.bridge("notifications_local_only", "publish that state on this broker only",
                (b, d) -> b.notificationsLocalOnly = d.bool());
        table.bridge("notification_topic", "topic of the bridge's state",
                (b, d) -> b.notificationTopic = notificationTopic(d));
        table.bridge("bridge_outgoing_retain", "keep the retain flag on messages sent to the remote",
                (b, d) -> b.outgoingRetain = d.bool());
        table.bridge("bridge_attempt_unsubscribe", "unsubscribe on the remote at connect when clean session is off",
                (b, d) -> b.attemptUnsubscribe = d.bool());
    }

    private static void registerTls(OptionTable table) {
        table.bridge("bridge_cafile", "CA certificates the remote broker's certificate must chain to",
                (b, d) -> b.cafile = d.path());
        table.bridge("bridge_capath", "directory of such CA certificates", (b, d) -> b.capath = d.path());
        table.bridge("bridge_certfile", "the bridge's client certificate", (b, d) -> b.certfile = d.path());
        table.bridge("bridge_keyfile", "the bridge's private key", (b, d) -> b.keyfile = d.path());
        table.bridge("bridge_insecure", "skip the check of the remote broker's host name",
                (b, d) -> b.insecure = d.bool());
        table.bridge("bridge_tls_version", "TLS version towards the remote broker",
                (b, d) -> b.tlsVersion = d.choice(ListenerOptions.TLS_VERSIONS));
        table.bridge("bridge_alpn", "ALPN protocol to ask the remote broker for", (b, d) -> b.alpn = d.word());
        table.bridge("bridge_require_ocsp",
                "refuse the remote broker unless it staples a good OCSP response for its certificate",
                (b, d) -> b.requireOcsp = d.bool());
        table.refuse("bridge_identity", OptionScope.BRIDGE, "TLS-PSK identity towards the remote broker",
                NO_BRIDGE_TLS_PSK);
        table.refuse("bridge_psk", OptionScope.BRIDGE, "TLS-PSK key (hex) towards the remote broker",
                NO_BRIDGE_TLS_PSK);
    }

    private static void openBridge(Directive directive, FileScope scope) throws ConfigException {
        String name = directive.word();
        scope.enterBridge(scope.config().openBridge(name, directive));
    }

    private static void addresses(BridgeBuilder bridge, Directive directive) throws ConfigException {
        bridge.addresses.clear();
        for (String token : directive.words(ADDRESS_SYNTAX)) {
            bridge.addresses.add(address(directive, token));
        }
    }

    /** {@code host}, {@code host:port} or {@code [ipv6]:port}; a bare IPv6 address has no port. */
    private static BridgeAddress address(Directive directive, String token) throws ConfigException {
        String host = token;
        String port = null;
        if (token.startsWith("[") && token.contains("]:")) {
            int close = token.indexOf("]:");
            host = token.substring(1, close);
            port = token.substring(close + 2);
        } else if (token.indexOf(':') >= 0 && token.indexOf(':') == token.lastIndexOf(':')) {
            host = token.substring(0, token.indexOf(':'));
            port = token.substring(token.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw directive.invalid(ADDRESS_SYNTAX);
        }
        int portNumber = port == null
                ? DEFAULT_REMOTE_PORT
                : (int) directive.parseLong(port, 1, 65535, ADDRESS_SYNTAX + " with port 1..65535");
        return new BridgeAddress(host, portNumber);
    }

    private static BridgeTopicRule topic(Directive directive) throws ConfigException {
        List<String> words = directive.words(TOPIC_SYNTAX);
        if (words.size() > 5) {
            throw directive.invalid(TOPIC_SYNTAX);
        }
        String pattern = unquoteEmpty(words.get(0));
        BridgeTopicRule.Direction direction = words.size() > 1
                ? directive.keyword(BridgeTopicRule.Direction.class, words.get(1), TOPIC_SYNTAX)
                : BridgeTopicRule.Direction.OUT;
        int qos = words.size() > 2 ? (int) directive.parseLong(words.get(2), 0, 2, TOPIC_SYNTAX) : 0;
        String localPrefix = words.size() > 3 ? unquoteEmpty(words.get(3)) : "";
        String remotePrefix = words.size() > 4 ? unquoteEmpty(words.get(4)) : "";
        boolean patternValid = pattern.isEmpty()
                ? !(localPrefix.isEmpty() && remotePrefix.isEmpty())
                : TopicSyntax.isValidFilter(pattern);
        if (!patternValid || !isValidPrefix(localPrefix) || !isValidPrefix(remotePrefix)) {
            throw directive.invalid(TOPIC_SYNTAX);
        }
        return new BridgeTopicRule(pattern, direction, qos, localPrefix, remotePrefix);
    }

    private static void restartTimeout(BridgeBuilder bridge, Directive directive) throws ConfigException {
        String expected = "base seconds and an optional cap, each >= 1";
        List<String> words = directive.words(expected);
        if (words.size() > 2) {
            throw directive.invalid(expected);
        }
        bridge.restartTimeoutBase = (int) directive.parseLong(words.get(0), 1, Integer.MAX_VALUE, expected);
        // A single value means a constant delay rather than a backoff.
        bridge.restartTimeoutCap = words.size() == 2
                ? (int) directive.parseLong(words.get(1), 1, Integer.MAX_VALUE, expected)
                : 0;
    }

    private static String notificationTopic(Directive directive) throws ConfigException {
        String topic = directive.word();
        if (!TopicSyntax.isValidTopicName(topic)) {
            throw directive.invalid("a topic without wildcards");
        }
        return topic;
    }

    private static boolean isValidPrefix(String prefix) {
        return prefix.isEmpty() || TopicSyntax.isValidTopicName(prefix);
    }

    private static String unquoteEmpty(String word) {
        return word.equals(EMPTY) ? "" : word;
    }
}
