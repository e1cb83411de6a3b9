package io.midge.core.route;

import io.midge.core.session.Session;
import io.midge.core.topic.MatchVisitor;
import io.midge.core.topic.SubscriptionTrie;

import java.util.HashMap;
import java.util.Map;

/**
 * The shared subscription groups, indexed by their filters in a trie of their own, next to the
 * direct subscriptions: a message then reaches one member per matching group plus every
 * matching direct subscriber, and a session both in a group and subscribed directly gets both
 * copies, as the spec allows. A group exists while it has members.
 *
 * <p>Threading as {@link SubscriptionTrie}: {@link #match} is lock-free; membership changes,
 * rare, serialize on this object.
 */
final class SharedSubscriptions {

    private final SubscriptionTrie<SharedGroup> groupsByFilter = new SubscriptionTrie<>();
    private final Map<SharedFilter, SharedGroup> groups = new HashMap<>(); // guarded by this
    private final ShareStrategy strategy;
    private volatile int memberCount; // written under this

    SharedSubscriptions(ShareStrategy strategy) {
        this.strategy = strategy;
    }

    /** Adds a session to the share's group, creating the group, or replaces its options in it. */
    synchronized void subscribe(SharedFilter share, Session session, int options) {
        SharedGroup group = groups.get(share);
        if (group == null) {
            group = new SharedGroup(share, strategy);
            groups.put(share, group);
            // The group's options in the index mean nothing: each member has its own.
            groupsByFilter.subscribe(share.filter(), group, 0);
        }
        if (group.put(session, options)) {
            memberCount++;
        }
    }

    /** @return whether the session was a member of the share's group */
    synchronized boolean unsubscribe(SharedFilter share, Session session) {
        SharedGroup group = groups.get(share);
        if (group == null || !group.remove(session)) {
            return false;
        }
        memberCount--;
        if (group.size() == 0) {
            groups.remove(share);
            groupsByFilter.unsubscribe(share.filter(), group);
        }
        return true;
    }

    /** Visits each group whose filter matches {@code topic}; lock-free. */
    void match(String topic, MatchVisitor<SharedGroup> visitor) {
        if (memberCount > 0) {
            groupsByFilter.match(topic, visitor);
        }
    }

    /** Member subscriptions, as mosquitto counts shared subscriptions. */
    int memberCount() {
        return memberCount;
    }

    synchronized int groupCount() {
        return groups.size();
    }
}
