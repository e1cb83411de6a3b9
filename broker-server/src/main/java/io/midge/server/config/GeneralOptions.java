package io.midge.server.config;

/** Broker-wide limits and client handling options. */
final class GeneralOptions {

    private static final int MAX_INT = Integer.MAX_VALUE;
    private static final int UINT16_MAX = 65535;

    private GeneralOptions() {
    }

    static void register(OptionTable table) {
        table.general("max_inflight_messages", (c, d) -> c.maxInflightMessages = d.intInRange(0, UINT16_MAX));
        table.general("max_queued_messages", (c, d) -> c.maxQueuedMessages = d.intInRange(0, MAX_INT));
        table.general("max_queued_bytes", (c, d) -> c.maxQueuedBytes = d.longInRange(0, Long.MAX_VALUE));
        table.general("message_size_limit",
                (c, d) -> c.messageSizeLimit = d.intInRange(0, BrokerConfig.PROTOCOL_MAX_MESSAGE_SIZE));
        table.general("max_keepalive", (c, d) -> c.maxKeepalive = d.intInRange(0, UINT16_MAX));
        table.general("allow_zero_length_clientid", (c, d) -> c.allowZeroLengthClientId = d.bool());
        table.general("auto_id_prefix", (c, d) -> c.autoIdPrefix = d.string());
        table.general("retain_available", (c, d) -> c.retainAvailable = d.bool());
        table.general("upgrade_outgoing_qos", (c, d) -> c.upgradeOutgoingQos = d.bool());
        table.general("queue_qos0_messages", (c, d) -> c.queueQos0Messages = d.bool());
        table.general("connection_messages", (c, d) -> c.connectionMessages = d.bool());
        table.general("clientid_prefixes", (c, d) -> c.clientIdPrefixes = d.string());
        table.general("persistent_client_expiration", (c, d) -> c.persistentClientExpiration = d.expiryDuration());
        table.general("sys_interval", (c, d) -> c.sysInterval = d.intInRange(0, MAX_INT));
        table.general("pid_file", (c, d) -> c.pidFile = d.path());
        table.general("user", (c, d) -> c.user = d.string());
    }
}
