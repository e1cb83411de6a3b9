package io.midge.server.config;

/** Where in a configuration file an option takes effect. */
enum OptionScope {
    /** Broker-wide, wherever it appears. */
    GENERAL("general"),
    /** Broker-wide, or for the current listener after {@code per_listener_settings true}. */
    SECURITY("security"),
    /** The current {@code listener} block (the default listener before any). */
    LISTENER("listener"),
    /** The current {@code connection} block. */
    BRIDGE("bridge");

    private final String label;

    OptionScope(String label) {
        this.label = label;
    }

    /** The word the configuration reference prints. */
    String label() {
        return label;
    }
}
