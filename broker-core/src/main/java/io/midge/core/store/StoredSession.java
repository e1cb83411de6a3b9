package io.midge.core.store;

import io.midge.core.message.Message;

import java.util.List;
import java.util.Map;

/**
 * A persistent session as stored.
 *
 * @param disconnectedAtMillis 0 if its client was connected when the broker stopped
 * @param will                 the will of a client that was connected when the broker stopped, or null
 * @param outbound             queued and in-flight messages, oldest first
 * @param subscriptions        filters with their {@link io.midge.core.topic.SubscriptionOptions} (granted QoS and flags)
 * @param inbound              inbound QoS 2 messages awaiting PUBREL, by packet identifier
 * @param expiryMillis         how long it outlives its client's connection (MQTT 5's session expiry
 *                             interval), or {@link #NEVER_EXPIRES}
 */
public record StoredSession(String clientId, long incarnation, long disconnectedAtMillis, Message will,
                            Map<String, Integer> subscriptions, List<StoredOutbound> outbound,
                            Map<Integer, Message> inbound, long expiryMillis) {

    public static final long NEVER_EXPIRES = Long.MAX_VALUE;

    /** A session that never expires by itself: 3.1.1's, or one written before Midge knew MQTT 5. */
    public StoredSession(String clientId, long incarnation, long disconnectedAtMillis, Message will,
                         Map<String, Integer> subscriptions, List<StoredOutbound> outbound,
                         Map<Integer, Message> inbound) {
        this(clientId, incarnation, disconnectedAtMillis, will, subscriptions, outbound, inbound, NEVER_EXPIRES);
    }
}
