package io.midge.core.route;

import io.midge.core.message.Message;
import io.midge.core.session.Session;
import io.midge.core.store.BrokerStore;
import io.midge.core.store.Commit;
import io.midge.core.topic.Matches;
import io.midge.core.topic.SubscriptionOptions;
import io.midge.core.topic.SubscriptionTrie;
import io.midge.core.topic.Topics;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one path every message takes: retained store, subscription match, and delivery to each
 * matching {@link Subscriber} on that subscriber's own event loop. Called on the publisher's event loop; takes
 * no lock (the trie and the retained store are built for concurrent readers).
 */
public final class Router {

    private final SubscriptionTrie<Subscriber> subscriptions = new SubscriptionTrie<>();
    private final RetainedStore retained;
    private final boolean retainAvailable;
    private final boolean checkRetainSource;
    private final BrokerStore store;
    private final ThreadLocal<Matches<Subscriber>> matchesPerThread = ThreadLocal.withInitial(Matches::new);
    private final SharedSubscriptions shared;
    /** Subscriptions of {@link #subscribeObserver observers}, which the counts clients see leave out. */
    private final AtomicInteger observers = new AtomicInteger();
    private final ThreadLocal<Matches<SharedGroup>> groupMatchesPerThread = ThreadLocal.withInitial(Matches::new);

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

    /** @param store where the retained store and persistent subscribers write; its commits make publishes safe */
    public Router(RetainedStore retained, boolean retainAvailable, boolean checkRetainSource, BrokerStore store) {
        this(retained, retainAvailable, checkRetainSource, store, ShareStrategy.ROUND_ROBIN);
    }

    /** @param shareStrategy how a shared subscription's group picks the member a message goes to */
    public Router(RetainedStore retained, boolean retainAvailable, boolean checkRetainSource, BrokerStore store,
                  ShareStrategy shareStrategy) {
        this.shared = new SharedSubscriptions(shareStrategy);
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

    /** Direct subscriptions; shared ones are not counted, as mosquitto's subscriptions/count does not. */
    public int subscriptionCount() {
        return subscriptions.subscriptionCount() - observers.get();
    }

    /** Memberships of shared subscription groups, as mosquitto's shared_subscriptions/count. */
    public int sharedSubscriptionCount() {
        return shared.memberCount();
    }

    /** Shared subscription groups, for tests that check empty ones go. */
    int sharedGroupCount() {
        return shared.groupCount();
    }

    /** Routes a message nobody is to be slowed down for: a will, a $SYS message. */
    public Commit publish(Message message) {
        return publish(message, Publisher.NONE);
    }

    /**
     * Routes a message published by a client. A retained message also updates the store. Each
     * matching subscriber that is not keeping up (see {@link Subscriber#isCongested}) is handed
     * to {@code publisher} to hold back for.
     *
     * @return when the message is safe (the retained message and the deliveries to persistent
     *         sessions are in the store), for the publisher's acknowledgement to wait on; in
     *         memory, always {@link Commit#DONE}
     */
    public Commit publish(Message message, Publisher publisher) {
        if (message.retain() && retainAvailable) {
            if (message.payload().length == 0) {
                retained.remove(message.topic());
            } else {
                retained.put(message);
            }
        }
        Matches<Subscriber> matches = matchesPerThread.get();
        matches.clear();
        subscriptions.match(message.topic(), matches);
        if (matches.size() == 0) {
            publisher.matchedNobody();
        }
        try {
            for (int i = 0; i < matches.size(); i++) {
                Subscriber subscriber = matches.subscriber(i);
                int options = matches.options(i);
                if (SubscriptionOptions.noLocal(options) && isOwn(message, subscriber)) {
                    continue;
                }
                int qos = SubscriptionOptions.qos(options);
                boolean retain = message.retain() && SubscriptionOptions.retainAsPublished(options);
                CrossLoopDelivery.deliver(subscriber, message, qos, retain, subscriber.storeDelivery(message, qos, retain));
                if (subscriber.isCongested()) {
                    publisher.holdBackFor(subscriber);
                }
            }
        } finally {
            matches.clear();
        }
        publishToGroups(message, publisher);
        return store.commit();
    }

    /** One member of each matching shared subscription group gets the message. */
    private void publishToGroups(Message message, Publisher publisher) {
        if (shared.memberCount() == 0) {
            return;
        }
        Matches<SharedGroup> groups = groupMatchesPerThread.get();
        groups.clear();
        shared.match(message.topic(), groups);
        try {
            for (int i = 0; i < groups.size(); i++) {
                SharedGroup.Member member = groups.subscriber(i).pick(message, null);
                if (member != null) {
                    member.take(message);
                    if (member.isCongested()) {
                        // The session itself, not its membership: it wakes publishers as itself.
                        publisher.holdBackFor(member.session());
                    }
                }
            }
        } finally {
            groups.clear();
        }
    }

    private static boolean isOwn(Message message, Subscriber subscriber) {
        return message.origin() != null && message.origin().clientId().equals(subscriber.clientId());
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
     * A shared subscription ({@code $share/group/filter}, see {@link SharedFilter}) makes the
     * session a member of that group; the session records it under the whole string.
     *
     * @param filter  a filter for which {@link #isAcceptableFilter} holds
     * @param options the granted QoS with any {@link SubscriptionOptions} flags; a plain QoS 0..2
     *                for an ordinary MQTT 3.1.1 subscription
     * @return false, subscribing nothing, if the filter is an invalid share
     *         ({@link SharedFilter#isShare} but not {@link SharedFilter#isValidShare}): the
     *         SUBACK refuses it (0x80, MQTT 5: 0x8F topic filter invalid)
     */
    public boolean subscribe(Session session, String filter, int options) {
        if (SharedFilter.isShare(filter)) {
            if (!SharedFilter.isValidShare(filter)) {
                return false;
            }
            shared.subscribe(SharedFilter.parse(filter), session, options);
        } else {
            subscriptions.subscribe(filter, session, options);
        }
        session.recordSubscription(filter, options);
        return true;
    }

    /**
     * Sends a session the retained messages a new or renewed subscription matches, with the
     * retain flag set. Separate from {@link #subscribe} because they must follow the SUBACK.
     *
     * A shared subscription gets none (MQTT 5 section 4.8.2: retained messages are not sent
     * to the session as it subscribes to a share), nor does a refused one.
     *
     * @param qos the granted QoS (options are not looked at: retained messages are sent as
     *            retained, also to a no local subscription of their own publisher)
     */
    public void deliverRetained(Session session, String filter, int qos) {
        int granted = SubscriptionOptions.qos(qos);
        if (retainAvailable && !SharedFilter.isShare(filter)) {
            retained.forEachMatching(filter, message -> {
                if (!checkRetainSource || message.origin() == null || message.origin().mayWrite(message.topic())) {
                    session.deliver(message, granted, true);
                }
            });
        }
    }

    /**
     * Subscribes a subscriber of the broker's own that is no session (the HTTP listener's live
     * topic feed): it is matched like any subscription, and it alone decides what it passes on.
     */
    public void subscribeObserver(String filter, Subscriber subscriber, int qos) {
        subscriptions.subscribe(filter, subscriber, qos);
        observers.incrementAndGet();
    }

    public void unsubscribeObserver(String filter, Subscriber subscriber) {
        if (subscriptions.unsubscribe(filter, subscriber)) {
            observers.decrementAndGet();
        }
    }

    /** A subscription of a session read back from the store: indexed only, the session already holds it. */
    public void restoreSubscription(Session session, String filter, int options) {
        if (SharedFilter.isShare(filter)) {
            if (SharedFilter.isValidShare(filter)) {
                shared.subscribe(SharedFilter.parse(filter), session, options);
            }
        } else {
            subscriptions.subscribe(filter, session, options);
        }
    }

    /** @return whether the session had the subscription */
    public boolean unsubscribe(Session session, String filter) {
        removeFromIndex(session, filter);
        return session.forgetSubscription(filter);
    }

    /** Removes every subscription of a session from the index (its own record is cleared by the caller). */
    public void discardSubscriptions(Session session) {
        for (Map.Entry<String, Integer> subscription : session.subscriptions().entrySet()) {
            removeFromIndex(session, subscription.getKey());
        }
    }

    private void removeFromIndex(Session session, String filter) {
        if (!SharedFilter.isShare(filter)) {
            subscriptions.unsubscribe(filter, session);
        } else if (SharedFilter.isValidShare(filter)) {
            shared.unsubscribe(SharedFilter.parse(filter), session);
        }
    }
}
