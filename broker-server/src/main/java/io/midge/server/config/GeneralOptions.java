package io.midge.server.config;

/** Broker-wide limits and client handling options. */
final class GeneralOptions {

    private static final int MAX_INT = Integer.MAX_VALUE;
    private static final int UINT16_MAX = 65535;

    private GeneralOptions() {
    }

    static void register(OptionTable table) {
        table.general("max_inflight_messages", "QoS 1 and 2 messages in flight to one client at a time; 0: no limit",
                (c, d) -> c.maxInflightMessages = d.intInRange(0, UINT16_MAX));
        table.general("max_queued_messages", "messages queued for one client beyond those in flight; 0: no limit",
                (c, d) -> c.maxQueuedMessages = d.intInRange(0, MAX_INT));
        table.general("max_queued_bytes", "bytes of payload queued for one client; 0: no limit",
                (c, d) -> c.maxQueuedBytes = d.longInRange(0, Long.MAX_VALUE));
        table.general("max_inflight_bytes", "bytes of QoS 1 and 2 payload in flight to one client; 0: no limit",
                (c, d) -> c.maxInflightBytes = d.longInRange(0, Long.MAX_VALUE));
        table.general("memory_limit", "bytes the broker may hold for its clients (messages queued, in flight and"
                + " retained, subscriptions, connections); beyond it new messages and connections are refused; 0: no limit",
                (c, d) -> c.memoryLimit = d.longInRange(0, Long.MAX_VALUE));
        table.general("message_size_limit", "largest payload accepted, in bytes; 0: the protocol's 268435455",
                (c, d) -> c.messageSizeLimit = d.intInRange(0, BrokerConfig.PROTOCOL_MAX_MESSAGE_SIZE));
        // mosquitto refuses 0 and anything below 20; leaving the option out is how to have no limit.
        table.general("max_packet_size", "largest packet accepted from a client, in bytes, at least 20; MQTT 5"
                + " clients are told in CONNACK; default: no limit",
                (c, d) -> c.maxPacketSize = d.intInRange(BrokerConfig.MIN_MAX_PACKET_SIZE, MAX_INT));
        table.general("max_keepalive", "longest keep alive a client may ask for, in seconds",
                (c, d) -> c.maxKeepalive = d.intInRange(0, UINT16_MAX));
        table.general("allow_zero_length_clientid", "whether a client may connect with an empty client id",
                (c, d) -> c.allowZeroLengthClientId = d.bool());
        table.general("auto_id_prefix", "prefix of the client ids the broker makes up for empty ones",
                (c, d) -> c.autoIdPrefix = d.string());
        table.general("retain_available", "whether clients may publish retained messages",
                (c, d) -> c.retainAvailable = d.bool());
        table.general("upgrade_outgoing_qos", "deliver at the subscription's QoS even when the message's is lower",
                (c, d) -> c.upgradeOutgoingQos = d.bool());
        table.general("queue_qos0_messages", "queue QoS 0 messages for disconnected persistent clients too",
                (c, d) -> c.queueQos0Messages = d.bool());
        table.general("connection_messages", "log a line for every client that connects and disconnects",
                (c, d) -> c.connectionMessages = d.bool());
        table.general("clientid_prefixes", "only clients whose id starts with this prefix may connect",
                (c, d) -> c.clientIdPrefixes = d.string());
        table.general("persistent_client_expiration", "drop persistent sessions offline longer than this (2h, 14d, 1y)",
                (c, d) -> c.persistentClientExpiration = d.expiryDuration());
        table.general("sys_interval", "seconds between $SYS updates; 0: never",
                (c, d) -> c.sysInterval = d.intInRange(0, MAX_INT));
        table.general("pid_file", "file the broker writes its process id to, removed at exit",
                (c, d) -> c.pidFile = d.path());
        table.general("user", "user to switch to when started as root, after opening the listeners and log files",
                (c, d) -> c.user = d.string());
    }
}
