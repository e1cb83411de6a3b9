package io.midge.core.route;

import io.midge.core.message.Message;
import io.midge.core.session.Session;
import io.midge.core.store.BrokerStore;
import io.midge.core.topic.Matches;
import io.midge.core.topic.SubscriptionTrie;
import io.midge.core.topic.Topics;

import java.util.Map;

/**
 * The one path every message takes: retained store, subscription match, and delivery to each
 * matching session on that session's own event loop. Called on the publisher's event loop; takes
 * no lock (the trie and the retained store are built for concurrent readers).
 */
public final class Router {

    private final SubscriptionTrie<Session> subscriptions = new SubscriptionTrie<>();
    private final RetainedStore retained;
    private final boolean retainAvailable;
    private final boolean checkRetainSource;
    private final BrokerStore store;
    private final ThreadLocal<Matches<Session>> matchesPerThread = ThreadLocal.withInitial(Matches::new);

    public Router(RetainedStore retained, boolean retainAvailable) {
        this(retained, retainAvailable, false);
    }

    /**
     * @param checkRetainSource check_retain_source: a retained message is delivered only while its
     *                          publisher may still write its topic
     */
    public Router(RetainedStore retained, boolean retainAvailable, boolean checkRetainSource) {
        this(retained, retainAvailable, checkRetainSource, BrokerStore.NONE);
    }

    /** @param store where what is routed to persistent sessions is kept, before the publisher's ack */
    public Router(RetainedStore retained, boolean retainAvailable, boolean checkRetainSource, BrokerStore store) {
        this.retained = retained;
        this.retainAvailable = retainAvailable;
        this.checkRetainSource = checkRetainSource;
        this.store = store;
    }

    public BrokerStore store() {
        return store;
    }

    public boolean retainAvailable() {
        return retainAvailable;
    }

    public RetainedStore retained() {
        return retained;
    }

    public int subscriptionCount() {
        return subscriptions.subscriptionCount();
    }

    /**
     * Routes a message published by a client (or a will). A retained message also updates the store.
     *
     * @return a matching session whose client is not keeping up (see {@link Session#isCongested}),
     *         for the publisher to wait on; null when none is
     */
    public Session publish(Message message) {
        if (message.retain() && retainAvailable) {
            if (message.payload().length == 0) {
                retained.remove(message.topic());
            } else {
                retained.put(message);
            }
        }
        Matches<Session> matches = matchesPerThread.get();
        matches.clear();
        subscriptions.match(message.topic(), matches);
        Session congested = null;
        try {
            for (int i = 0; i < matches.size(); i++) {
                Session subscriber = matches.subscriber(i);
                CrossLoopDelivery.deliver(subscriber, message, matches.qos(i), storeFor(subscriber, message, matches.qos(i)));
                if (subscriber.isCongested()) {
                    congested = subscriber;
                }
            }
        } finally {
            matches.clear();
        }
        return congested;
    }

    /**
     * Stores the delivery here, on the publisher's thread, so that the publisher's ack can wait
     * for it: the subscriber's loop gets the message later.
     *
     * @return the incarnation it was stored under, or 0 if it was not
     */
    private long storeFor(Session subscriber, Message message, int grantedQos) {
        long incarnation = subscriber.storedIncarnation();
        if (incarnation == 0) {
            return 0;
        }
        int qos = subscriber.deliveryQos(message, grantedQos);
        if (qos == 0) {
            return 0;
        }
        store.putOutbound(subscriber.clientId(), incarnation, message, qos, false);
        return incarnation;
    }

    /**
     * Whether a SUBSCRIBE may use this filter: valid MQTT syntax, and within mosquitto's
     * hierarchy limit (which also keeps the trie's per-level recursion shallow).
     */
    public static boolean isAcceptableFilter(String filter) {
        return Topics.isValidTopicFilter(filter) && Topics.withinHierarchyLimit(filter);
    }

    /**
     * Adds or replaces a subscription of a session; call on its owner loop.
     *
     * @param filter a filter for which {@link #isAcceptableFilter} holds
     */
    public void subscribe(Session session, String filter, int qos) {
        subscriptions.subscribe(filter, session, qos);
        session.recordSubscription(filter, qos);
    }

    /**
     * Sends a session the retained messages a new or renewed subscription matches, with the
     * retain flag set. Separate from {@link #subscribe} because they must follow the SUBACK.
     */
    public void deliverRetained(Session session, String filter, int qos) {
        if (retainAvailable) {
            retained.forEachMatching(filter, message -> {
                if (!checkRetainSource || message.origin() == null || message.origin().mayWrite(message.topic())) {
                    session.deliver(message, qos, true);
                }
            });
        }
    }

    /** A subscription of a session read back from the store: indexed only, the session already holds it. */
    public void restoreSubscription(Session session, String filter, int qos) {
        subscriptions.subscribe(filter, session, qos);
    }

    /** @return whether the session had the subscription */
    public boolean unsubscribe(Session session, String filter) {
        subscriptions.unsubscribe(filter, session);
        return session.forgetSubscription(filter);
    }

    /** Removes every subscription of a session from the index (its own record is cleared by the caller). */
    public void discardSubscriptions(Session session) {
        for (Map.Entry<String, Integer> subscription : session.subscriptions().entrySet()) {
            subscriptions.unsubscribe(subscription.getKey(), session);
        }
    }
}
