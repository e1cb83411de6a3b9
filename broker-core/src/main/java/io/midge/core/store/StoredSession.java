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
 */
public record StoredSession(String clientId, long incarnation, long disconnectedAtMillis, Message will,
                            Map<String, Integer> subscriptions, List<StoredOutbound> outbound,
                            Map<Integer, Message> inbound) {}
