package io.midge.core.bridge;

import java.util.List;
import java.util.Objects;

/**
 * What a bridge's link needs to know of its {@code connection} block, with mosquitto's defaults
 * already applied by the configuration loader.
 *
 * @param name                   the connection name, for log lines
 * @param remoteClientId         client id on the remote broker
 * @param remoteUsername         null for none
 * @param remotePassword         null for none
 * @param cleanSession           clean session on the remote broker
 * @param keepAliveSeconds       keep alive towards the remote broker; 0 for none
 * @param protocolLevel          3 (MQTT 3.1) or 4 (MQTT 3.1.1)
 * @param tryPrivate             announce the bridge to the remote (protocol level with bit 0x80)
 * @param localClientId          the bridge's client id on this broker
 * @param localUsername          the bridge's user name on this broker, null for none
 * @param localCleanSession      clean session on this broker
 * @param topics                 the topic lines, in their order
 * @param notificationTopic      where the bridge's state (1 or 0) is published; null without notifications
 * @param notificationsLocalOnly publish the state on this broker only (no will on the remote)
 * @param outgoingRetain         keep the retain flag on messages sent to the remote
 * @param attemptUnsubscribe     unsubscribe on the remote from {@code out} topics at connect
 */
public record BridgeSettings(
        String name,
        String remoteClientId,
        String remoteUsername,
        byte[] remotePassword,
        boolean cleanSession,
        int keepAliveSeconds,
        int protocolLevel,
        boolean tryPrivate,
        String localClientId,
        String localUsername,
        boolean localCleanSession,
        List<BridgeTopicRule> topics,
        String notificationTopic,
        boolean notificationsLocalOnly,
        boolean outgoingRetain,
        boolean attemptUnsubscribe) {

    public BridgeSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(remoteClientId, "remoteClientId");
        Objects.requireNonNull(localClientId, "localClientId");
        topics = List.copyOf(topics);
        if (protocolLevel != 3 && protocolLevel != 4) {
            throw new IllegalArgumentException("protocol level 3 or 4, was " + protocolLevel);
        }
    }

    public boolean notifications() {
        return notificationTopic != null;
    }

    /** The name of a local topic on the remote broker: the first {@code out} rule that matches decides, as in mosquitto. */
    public String toRemote(String localTopic) {
        for (BridgeTopicRule rule : topics) {
            String remote = rule.toRemote(localTopic);
            if (remote != null) {
                return remote;
            }
        }
        return localTopic;
    }

    /** The name of a remote topic on this broker: the first {@code in} rule that matches decides. */
    public String toLocal(String remoteTopic) {
        for (BridgeTopicRule rule : topics) {
            String local = rule.toLocal(remoteTopic);
            if (local != null) {
                return local;
            }
        }
        return remoteTopic;
    }
}
