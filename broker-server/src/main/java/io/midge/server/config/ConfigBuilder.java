package io.midge.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything read so far from the configuration files; {@link #build()} validates the whole. */
final class ConfigBuilder {

    final ParseContext context;
    final ListenerSet listeners = new ListenerSet();
    final SecurityBuilder security = new SecurityBuilder();
    final LogSettingsBuilder logging = new LogSettingsBuilder();
    private final List<BridgeBuilder> bridges = new ArrayList<>();

    boolean perListenerSettings;
    /** per_listener_settings changes where security options go, so it must come before them. */
    boolean securityOptionSeen;
    int maxInflightMessages = 20;
    int maxQueuedMessages = 1000;
    long maxQueuedBytes;
    long maxInflightBytes;
    long memoryLimit;
    int messageSizeLimit;
    int maxPacketSize;
    int maxKeepalive = 65535;
    boolean allowZeroLengthClientId = true;
    String autoIdPrefix = "auto-";
    boolean retainAvailable = true;
    boolean upgradeOutgoingQos;
    boolean queueQos0Messages;
    boolean connectionMessages = true;
    String clientIdPrefixes;
    boolean checkRetainSource;
    Duration persistentClientExpiration;
    boolean persistence;
    Path persistenceLocation;
    String persistenceFile = "mosquitto.db";
    int autosaveInterval = 1800;
    boolean autosaveOnChanges;
    io.midge.core.store.Durability persistenceDurability = io.midge.core.store.Durability.FSYNC;
    int persistenceSyncIntervalMillis = 50;
    int sysInterval = 10;
    Path pidFile;
    /** mosquitto's default account. */
    String user = "mosquitto";

    ConfigBuilder(ParseContext context) {
        this.context = context;
    }

    /** Starts a {@code connection NAME} block. */
    BridgeBuilder openBridge(String name, Directive directive) throws ConfigException {
        for (BridgeBuilder existing : bridges) {
            if (existing.name.equals(name)) {
                throw directive.error("Duplicate bridge name \"" + name + "\"; already defined at "
                        + existing.definedAt + ".");
            }
        }
        BridgeBuilder bridge = new BridgeBuilder(name, directive.location());
        bridges.add(bridge);
        return bridge;
    }

    BrokerConfig build() throws ConfigException {
        List<ListenerConfig> listenerConfigs = listeners.build();
        List<BridgeConfig> bridgeConfigs = new ArrayList<>();
        for (BridgeBuilder bridge : bridges) {
            bridgeConfigs.add(bridge.build());
        }
        boolean allowAnonymous = security.allowAnonymous().orElse(listeners.isLocalOnly());
        return new BrokerConfig(listenerConfigs, allowAnonymous, perListenerSettings, maxInflightMessages,
                maxQueuedMessages, maxQueuedBytes, maxInflightBytes, memoryLimit, messageSizeLimit, maxPacketSize, maxKeepalive,
                allowZeroLengthClientId, autoIdPrefix, retainAvailable, upgradeOutgoingQos, queueQos0Messages,
                connectionMessages,
                Optional.ofNullable(clientIdPrefixes), checkRetainSource,
                logging.types(), logging.dests(), logging.timestamp, logging.timestampFormat, logging.facility(),
                Optional.ofNullable(persistentClientExpiration), persistence,
                persistenceLocation != null ? persistenceLocation : context.workingDirectory(),
                persistenceFile, autosaveInterval, autosaveOnChanges, persistenceDurability,
                persistenceSyncIntervalMillis, security.passwordFile(), security.aclFile(), sysInterval,
                Optional.ofNullable(pidFile), user,
                listeners.defaultListener().maxConnections, bridgeConfigs, context.warnings());
    }
}
