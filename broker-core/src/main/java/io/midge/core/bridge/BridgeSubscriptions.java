package io.midge.core.bridge;

import io.midge.core.route.Router;
import io.midge.core.session.Session;
import io.midge.core.topic.SubscriptionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The subscriptions a bridge's session holds on this broker: its {@code out} topics, and nothing else. */
public final class BridgeSubscriptions {

    private static final Logger log = LoggerFactory.getLogger("midge");

    private BridgeSubscriptions() {
    }

    /**
     * Makes the session's subscriptions exactly the {@code out} topics, with no local (what the
     * bridge brings in is not sent back) and retain as published (a retained message crosses as
     * retained), as mosquitto subscribes its bridges. What an earlier configuration subscribed to
     * and this one does not is dropped. Call on the session's owner loop.
     */
    public static void apply(BridgeSettings settings, Router router, Session session) {
        Set<String> wanted = new HashSet<>();
        for (BridgeTopicRule rule : settings.topics()) {
            if (rule.sendsOut()) {
                wanted.add(rule.localFilter());
            }
        }
        for (String filter : List.copyOf(session.subscriptions().keySet())) {
            if (!wanted.contains(filter)) {
                router.unsubscribe(session, filter);
            }
        }
        for (BridgeTopicRule rule : settings.topics()) {
            if (rule.sendsOut()) {
                log.debug("Bridge {} doing local SUBSCRIBE on topic {}", settings.localClientId(), rule.localFilter());
                router.subscribe(session, rule.localFilter(),
                        rule.qos() | SubscriptionOptions.NO_LOCAL | SubscriptionOptions.RETAIN_AS_PUBLISHED);
            }
        }
    }
}
