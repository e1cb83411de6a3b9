package io.midge.server.config;

import io.midge.core.bridge.BridgeTopicRule;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One bridge ({@code connection NAME} block), validated.
 *
 * @param name the connection name
 * @param addresses remote brokers, at least one
 * @param roundRobin {@code round_robin}: rotate through addresses instead of preferring the first
 * @param topics bridged topics
 * @param remote identity towards the remote broker
 * @param local identity towards the local broker
 * @param cleanSession {@code cleansession} for the remote connection
 * @param localCleanSession {@code local_cleansession}; defaults to {@code cleanSession}
 * @param keepaliveInterval {@code keepalive_interval} in seconds
 * @param startType {@code start_type}
 * @param restartTimeoutBase {@code restart_timeout} (first value) in seconds
 * @param restartTimeoutCap second {@code restart_timeout} value in seconds; 0 = constant delay
 * @param idleTimeout {@code idle_timeout} in seconds (lazy/once bridges)
 * @param threshold {@code threshold}: queued messages that start a lazy bridge
 * @param tryPrivate {@code try_private}
 * @param notifications {@code notifications}
 * @param notificationsLocalOnly {@code notifications_local_only}
 * @param notificationTopic {@code notification_topic}, or {@code null} for mosquitto's default
 * @param protocolVersion {@code bridge_protocol_version}
 * @param outgoingRetain {@code bridge_outgoing_retain}
 * @param attemptUnsubscribe {@code bridge_attempt_unsubscribe}
 * @param bindAddress {@code bridge_bind_address}, or {@code null}
 * @param maxPacketSize {@code bridge_max_packet_size}, 0 = no limit
 * @param tls TLS settings
 */
public record BridgeConfig(
        String name,
        List<BridgeAddress> addresses,
        boolean roundRobin,
        List<BridgeTopicRule> topics,
        BridgeCredentials remote,
        BridgeCredentials local,
        boolean cleanSession,
        Optional<Boolean> localCleanSession,
        int keepaliveInterval,
        StartType startType,
        int restartTimeoutBase,
        int restartTimeoutCap,
        int idleTimeout,
        int threshold,
        boolean tryPrivate,
        boolean notifications,
        boolean notificationsLocalOnly,
        String notificationTopic,
        ProtocolVersion protocolVersion,
        boolean outgoingRetain,
        boolean attemptUnsubscribe,
        String bindAddress,
        int maxPacketSize,
        BridgeTls tls) {

    /** {@code start_type} values. */
    public enum StartType {
        AUTOMATIC,
        LAZY,
        ONCE
    }

    /** {@code bridge_protocol_version} values. */
    public enum ProtocolVersion {
        MQTTV31,
        MQTTV311,
        MQTTV50
    }

    /** Copies the lists and rejects missing parts. */
    public BridgeConfig {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
        topics = List.copyOf(topics);
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(localCleanSession, "localCleanSession");
        Objects.requireNonNull(startType, "startType");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(tls, "tls");
    }
}
