package io.midge.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The whole broker configuration, validated and immutable. Obtain it from
 * {@link ConfigParser#parse(Path)} or {@link ConfigParser#defaults()}; defaults are mosquitto 2.0's.
 *
 * @param listeners network listeners, never empty
 * @param allowAnonymous effective {@code allow_anonymous}: the configured value, else {@code true}
 *     when the configuration defines no listener, {@code port} or {@code bind_address} (mosquitto's
 *     local-only mode) and {@code false} otherwise
 * @param perListenerSettings {@code per_listener_settings}
 * @param maxInflightMessages {@code max_inflight_messages}, 0 = unlimited
 * @param maxQueuedMessages {@code max_queued_messages}, 0 = unlimited
 * @param maxQueuedBytes {@code max_queued_bytes}, 0 = unlimited
 * @param maxInflightBytes {@code max_inflight_bytes}, 0 = unlimited
 * @param memoryLimit {@code memory_limit} in bytes, 0 = unlimited; see {@link io.midge.core.session.MemoryBudget}
 * @param messageSizeLimit {@code message_size_limit}, 0 = {@link #PROTOCOL_MAX_MESSAGE_SIZE}
 * @param maxPacketSize {@code max_packet_size}: the largest packet accepted from a client, counted as
 *     mosquitto does (the first byte plus the remaining length), at least {@link #MIN_MAX_PACKET_SIZE};
 *     0 when not set, for no limit
 * @param maxKeepalive {@code max_keepalive} in seconds, 0..65535
 * @param allowZeroLengthClientId {@code allow_zero_length_clientid}
 * @param autoIdPrefix {@code auto_id_prefix}
 * @param retainAvailable {@code retain_available}
 * @param upgradeOutgoingQos {@code upgrade_outgoing_qos}
 * @param queueQos0Messages {@code queue_qos0_messages}
 * @param connectionMessages {@code connection_messages}
 * @param clientIdPrefixes {@code clientid_prefixes}: only clients whose id starts with it may connect
 * @param checkRetainSource {@code check_retain_source}: re-check the ACL of a retained message's
 *     publisher before delivering it
 * @param logTypes {@code log_type} categories to log
 * @param logDests {@code log_dest} destinations; empty means no logging at all
 * @param logTimestamp {@code log_timestamp}
 * @param logTimestampFormat raw strftime-style {@code log_timestamp_format}, or {@code null};
 *     see {@link #logTimestampFormatter()}
 * @param logFacility {@code log_facility} 0..7 (syslog's local0..local7), or empty for the daemon facility
 * @param persistentClientExpiration {@code persistent_client_expiration}
 * @param persistence {@code persistence}
 * @param persistenceLocation {@code persistence_location}, the working directory by default
 * @param persistenceFile {@code persistence_file}
 * @param autosaveInterval {@code autosave_interval}: seconds, or changes with {@code autosave_on_changes}
 * @param autosaveOnChanges {@code autosave_on_changes}
 * @param persistenceDurability {@code persistence_durability} (Midge): when a stored write counts as safe
 * @param persistenceSyncIntervalMillis {@code persistence_sync_interval} (Midge): the fsync period of {@code batch}
 * @param passwordFile global {@code password_file}
 * @param aclFile global {@code acl_file}
 * @param sysInterval {@code sys_interval} in seconds, 0 = no $SYS updates
 * @param pidFile {@code pid_file}, written at start (with or without {@code -d}, as mosquitto 2.0) and removed at exit
 * @param user {@code user}: the account a broker started as root switches to once its listeners are open
 * @param maxConnections {@code max_connections} given outside any listener block, -1 = unlimited;
 *     like mosquitto, it belongs to the default listener and is already reflected there
 * @param bridges bridge connections
 * @param warnings one {@code FILE:LINE: ...} line for each accepted option that has no effect yet
 */
public record BrokerConfig(
        List<ListenerConfig> listeners,
        boolean allowAnonymous,
        boolean perListenerSettings,
        int maxInflightMessages,
        int maxQueuedMessages,
        long maxQueuedBytes,
        long maxInflightBytes,
        long memoryLimit,
        int messageSizeLimit,
        int maxPacketSize,
        int maxKeepalive,
        boolean allowZeroLengthClientId,
        String autoIdPrefix,
        boolean retainAvailable,
        boolean upgradeOutgoingQos,
        boolean queueQos0Messages,
        boolean connectionMessages,
        Optional<String> clientIdPrefixes,
        boolean checkRetainSource,
        EnumSet<LogType> logTypes,
        List<LogDest> logDests,
        boolean logTimestamp,
        String logTimestampFormat,
        OptionalInt logFacility,
        Optional<Duration> persistentClientExpiration,
        boolean persistence,
        Path persistenceLocation,
        String persistenceFile,
        int autosaveInterval,
        boolean autosaveOnChanges,
        io.midge.core.store.Durability persistenceDurability,
        int persistenceSyncIntervalMillis,
        Optional<Path> passwordFile,
        Optional<Path> aclFile,
        int sysInterval,
        Optional<Path> pidFile,
        String user,
        int maxConnections,
        List<BridgeConfig> bridges,
        List<String> warnings) {

    /** Largest message MQTT can carry (remaining length limit), used when the limit is 0. */
    public static final int PROTOCOL_MAX_MESSAGE_SIZE = 268_435_455;

    /** mosquitto refuses a smaller max_packet_size: it would get in the way of even small packets. */
    public static final int MIN_MAX_PACKET_SIZE = 20;

    /** Copies every collection so the configuration cannot change after parsing. */
    public BrokerConfig {
        listeners = List.copyOf(listeners);
        logTypes = EnumSet.copyOf(logTypes);
        logDests = List.copyOf(logDests);
        Objects.requireNonNull(autoIdPrefix, "autoIdPrefix");
        Objects.requireNonNull(clientIdPrefixes, "clientIdPrefixes");
        Objects.requireNonNull(logFacility, "logFacility");
        Objects.requireNonNull(persistentClientExpiration, "persistentClientExpiration");
        Objects.requireNonNull(persistenceLocation, "persistenceLocation");
        Objects.requireNonNull(persistenceFile, "persistenceFile");
        Objects.requireNonNull(persistenceDurability, "persistenceDurability");
        Objects.requireNonNull(passwordFile, "passwordFile");
        Objects.requireNonNull(aclFile, "aclFile");
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(user, "user");
        bridges = List.copyOf(bridges);
        warnings = List.copyOf(warnings);
    }

    /** The log categories; a fresh copy, because {@link EnumSet} is mutable. */
    @Override
    public EnumSet<LogType> logTypes() {
        return EnumSet.copyOf(logTypes);
    }

    /** Whether messages of the given category are logged. */
    public boolean logs(LogType type) {
        return logTypes.contains(type);
    }

    /** {@link #logTimestampFormat()} as a formatter for {@link java.time.ZonedDateTime} values. */
    public Optional<DateTimeFormatter> logTimestampFormatter() {
        return Optional.ofNullable(logTimestampFormat).map(StrftimeFormat::toFormatter);
    }

    /** The message size limit with 0 ("no limit") replaced by the protocol maximum. */
    public int effectiveMessageSizeLimit() {
        return messageSizeLimit == 0 ? PROTOCOL_MAX_MESSAGE_SIZE : messageSizeLimit;
    }

    /** Where mosquitto keeps its persistence file: {@code persistenceLocation/persistenceFile}, which Midge imports. */
    public Path persistenceFilePath() {
        return persistenceLocation.resolve(persistenceFile);
    }

    /** Midge's own store, a directory beside mosquitto's file: {@code persistenceLocation/midge.db}. */
    public Path storeDirectory() {
        return persistenceLocation.resolve(STORE_DIRECTORY);
    }

    /** The name of Midge's store directory within {@code persistence_location}. */
    public static final String STORE_DIRECTORY = "midge.db";

    /** How the durable store is opened, from the persistence options. */
    public io.midge.core.store.StoreSettings storeSettings() {
        return new io.midge.core.store.StoreSettings(storeDirectory(), persistenceDurability,
                persistenceSyncIntervalMillis, autosaveInterval, autosaveOnChanges);
    }

    /** Effective {@code allow_anonymous} for clients of the given listener. */
    public boolean allowAnonymousFor(ListenerConfig listener) {
        return perListenerSettings ? listener.allowAnonymous().orElse(allowAnonymous) : allowAnonymous;
    }

    /** Effective {@code password_file} for clients of the given listener. */
    public Optional<Path> passwordFileFor(ListenerConfig listener) {
        return perListenerSettings ? listener.passwordFile() : passwordFile;
    }

    /** Effective {@code acl_file} for clients of the given listener. */
    public Optional<Path> aclFileFor(ListenerConfig listener) {
        return perListenerSettings ? listener.aclFile() : aclFile;
    }

    /** {@code max_qos} of the given listener; mosquitto keeps it per listener whatever per_listener_settings says. */
    public int maxQosFor(ListenerConfig listener) {
        return listener.maxQos();
    }

    /** {@code use_username_as_clientid} of the given listener; per listener, as in mosquitto. */
    public boolean useUsernameAsClientIdFor(ListenerConfig listener) {
        return listener.useUsernameAsClientId();
    }

    /** {@code clientid_prefixes} for clients of the given listener; mosquitto has one value for the whole broker. */
    public Optional<String> clientIdPrefixesFor(ListenerConfig listener) {
        return clientIdPrefixes;
    }

    /** Whether the listeners are those of mosquitto's local only mode (no listener configured). */
    public boolean isLocalOnly() {
        return listeners.stream().allMatch(ListenerConfig::localOnly);
    }
}
