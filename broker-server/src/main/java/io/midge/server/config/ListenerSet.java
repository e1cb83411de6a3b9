package io.midge.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The default listener plus the {@code listener} blocks, and mosquitto 2.0's rules for turning
 * them into the listeners the broker opens.
 */
final class ListenerSet {

    static final int DEFAULT_PORT = 1883;

    private final ListenerBuilder defaultListener = new ListenerBuilder(DEFAULT_PORT, null, null);
    private final List<ListenerBuilder> blocks = new ArrayList<>();
    private final List<Integer> commandLinePorts = new ArrayList<>();
    private boolean defaultListenerAddressed;

    ListenerBuilder defaultListener() {
        return defaultListener;
    }

    /** Starts a {@code listener PORT [BIND]} block. */
    ListenerBuilder open(int port, String bindAddress, SourceLocation at) {
        ListenerBuilder listener = new ListenerBuilder(port, bindAddress, at);
        blocks.add(listener);
        return listener;
    }

    /**
     * The ports of {@code -p}. As in mosquitto 2.0, they only replace 1883 in local-only mode; a
     * configuration that defines listeners keeps exactly those.
     */
    void commandLinePorts(List<Integer> ports) {
        commandLinePorts.addAll(ports);
    }

    /** {@code port} or {@code bind_address} was given, which ends mosquitto's local-only mode. */
    void defaultListenerAddressed() {
        defaultListenerAddressed = true;
    }

    /**
     * mosquitto 2.0 without any listener, {@code port} or {@code bind_address} only accepts local
     * connections, and then allows anonymous clients by default.
     */
    boolean isLocalOnly() {
        return blocks.isEmpty() && !defaultListenerAddressed;
    }

    List<ListenerConfig> build() throws ConfigException {
        if (isLocalOnly()) {
            return buildLocalOnly();
        }
        List<ListenerBuilder> opened = new ArrayList<>();
        // As in mosquitto, the default listener exists when nothing else does or when any option
        // was aimed at it, even if listener blocks follow.
        if (blocks.isEmpty() || defaultListener.isTouched()) {
            opened.add(defaultListener);
        }
        opened.addAll(blocks);
        rejectDuplicates(opened);
        List<ListenerConfig> configs = new ArrayList<>();
        for (ListenerBuilder listener : opened) {
            listener.validate();
            configs.add(listener.build());
        }
        return configs;
    }

    /**
     * The default listener on loopback only, once per {@code -p} port. Listener options given
     * without any listener still apply to it; mosquitto would then open the default listener on
     * every interface instead, which is not what a configuration without listeners asks for.
     */
    private List<ListenerConfig> buildLocalOnly() throws ConfigException {
        defaultListener.validate();
        List<Integer> ports = commandLinePorts.isEmpty() ? List.of(defaultListener.port) : commandLinePorts;
        List<ListenerConfig> configs = new ArrayList<>();
        for (int port : ports) {
            configs.add(defaultListener.buildLocalOnly(port));
        }
        return configs;
    }

    private static void rejectDuplicates(List<ListenerBuilder> listeners) throws ConfigException {
        for (int later = 1; later < listeners.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                ListenerBuilder first = listeners.get(earlier);
                ListenerBuilder second = listeners.get(later);
                if (second.sameSocketAs(first)) {
                    throw ConfigException.at(second.definedAt, "Duplicate listener on " + second.describe()
                            + "; also defined at " + first.definedAt + ".");
                }
            }
        }
    }
}
