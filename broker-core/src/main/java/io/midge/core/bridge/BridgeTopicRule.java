package io.midge.core.bridge;

import io.midge.core.topic.Topics;

import java.util.Objects;

/**
 * One {@code topic} line of a bridge, with its prefixes applied: which local topics go out under
 * which remote names, and back. As in mosquitto, a topic that matches the local filter loses the
 * local prefix (when it starts with it) and gains the remote one on the way out; the reverse on
 * the way in.
 *
 * @param pattern      the pattern of the line; empty when the prefixes alone name the topic
 * @param direction    which way messages flow
 * @param qos          the QoS of the bridge's subscriptions for this line
 * @param localPrefix  "" for none
 * @param remotePrefix "" for none
 */
public record BridgeTopicRule(String pattern, Direction direction, int qos, String localPrefix, String remotePrefix) {

    /** Seen from this broker. */
    public enum Direction {
        IN, OUT, BOTH;

        boolean out() {
            return this != IN;
        }

        boolean in() {
            return this != OUT;
        }
    }

    public BridgeTopicRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(localPrefix, "localPrefix");
        Objects.requireNonNull(remotePrefix, "remotePrefix");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos out of range: " + qos);
        }
    }

    /** Whether local messages matching {@link #localFilter()} are sent to the remote broker. */
    public boolean sendsOut() {
        return direction.out();
    }

    /** Whether the bridge subscribes on the remote broker to {@link #remoteFilter()}. */
    public boolean bringsIn() {
        return direction.in();
    }

    /** The filter the bridge subscribes to on this broker (for {@code out} and {@code both}). */
    public String localFilter() {
        return localPrefix + pattern;
    }

    /** The filter the bridge subscribes to on the remote broker (for {@code in} and {@code both}). */
    public String remoteFilter() {
        return remotePrefix + pattern;
    }

    private boolean remaps() {
        return !localPrefix.isEmpty() || !remotePrefix.isEmpty();
    }

    /** The remote name of a local topic this rule sends out, or null when the rule does not apply to it. */
    public String toRemote(String localTopic) {
        if (!sendsOut() || !Topics.matches(localFilter(), localTopic)) {
            return null;
        }
        return remaps() ? remotePrefix + strip(localPrefix, localTopic) : localTopic;
    }

    /** The local name of a remote topic this rule brings in, or null when the rule does not apply to it. */
    public String toLocal(String remoteTopic) {
        if (!bringsIn() || !Topics.matches(remoteFilter(), remoteTopic)) {
            return null;
        }
        return remaps() ? localPrefix + strip(remotePrefix, remoteTopic) : remoteTopic;
    }

    private static String strip(String prefix, String topic) {
        return topic.startsWith(prefix) ? topic.substring(prefix.length()) : topic;
    }
}
