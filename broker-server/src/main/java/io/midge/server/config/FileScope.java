package io.midge.server.config;

/**
 * Which listener and bridge the options of one file apply to. As in mosquitto, every file starts
 * at the default listener and outside any bridge, so an included file cannot continue the block
 * that was open where it was included.
 */
final class FileScope {

    private final ConfigBuilder config;
    private ListenerBuilder listener;
    private BridgeBuilder bridge;

    FileScope(ConfigBuilder config) {
        this.config = config;
        this.listener = config.listeners.defaultListener();
    }

    ConfigBuilder config() {
        return config;
    }

    /** The listener a listener-scoped option applies to. */
    ListenerBuilder listener(Directive directive) {
        listener.touchedAt(directive.location());
        return listener;
    }

    /**
     * The listener an option applies to, without that option opening the default listener: for
     * max_topic_alias given before any listener, mosquitto 2.0 keeps the value for the default
     * listener but opens it only if something else asks for it.
     */
    ListenerBuilder listenerLeftUnopened() {
        return listener;
    }

    void enterListener(ListenerBuilder listener) {
        this.listener = listener;
    }

    /** The bridge a bridge option applies to; bridge options need a preceding {@code connection}. */
    BridgeBuilder bridge(Directive directive) throws ConfigException {
        if (bridge == null) {
            throw directive.error(directive.name() + " is a bridge option and must follow a connection line.");
        }
        return bridge;
    }

    void enterBridge(BridgeBuilder bridge) {
        this.bridge = bridge;
    }

    /** Security options are broker-wide unless per_listener_settings moves them to the listener. */
    SecurityBuilder security(Directive directive) {
        config.securityOptionSeen = true;
        return config.perListenerSettings ? listener(directive).security : config.security;
    }
}
