package io.midge.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The default listener plus the {@code listener} blocks, and mosquitto 2.0's rules for turning
 * them into the listeners the broker opens.
 */
final class ListenerSet {

    static final int DEFAULT_PORT = 1883;
    /**
     * Where the default listener binds in local-only mode. mosquitto binds both 127.0.0.1 and ::1;
     * one address keeps {@link ListenerConfig} simple and IPv4 loopback always exists.
     */
    static final String LOOPBACK = "127.0.0.1";

    private final ListenerBuilder defaultListener = new ListenerBuilder(DEFAULT_PORT, null, null);
    private final List<ListenerBuilder> blocks = new ArrayList<>();
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
            configs.add(listener.build(effectiveBindAddress(listener)));
        }
        return configs;
    }

    private String effectiveBindAddress(ListenerBuilder listener) {
        if (listener == defaultListener && listener.bindAddress == null && isLocalOnly()) {
            return LOOPBACK;
        }
        return listener.bindAddress;
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
