package io.midge.core.route;

import io.midge.core.message.Message;
import io.midge.core.session.Session;
import io.midge.core.topic.SubscriptionOptions;
import io.netty.util.concurrent.EventExecutor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions subscribed to one shared subscription ({@code $share/group/filter}): the routing
 * index holds the group once for its filter, and each matching message goes to one member.
 *
 * <p>Threading: publishers on any loop {@linkplain #pick pick} without a lock, reading the
 * members as a copy-on-write array and taking turns with an atomic counter; membership changes
 * (rare) are serialized on the group.
 */
public final class SharedGroup {

    private static final Member[] NO_MEMBERS = new Member[0];

    private final SharedFilter share;
    private final ShareStrategy strategy;
    private final AtomicInteger turns = new AtomicInteger();
    private volatile Member[] members = NO_MEMBERS;

    SharedGroup(SharedFilter share, ShareStrategy strategy) {
        this.share = share;
        this.strategy = strategy;
    }

    public SharedFilter share() {
        return share;
    }

    int size() {
        return members.length;
    }

    /** @return whether the session is a new member (false: its options were replaced) */
    synchronized boolean put(Session session, int options) {
        Member[] current = members;
        Member member = new Member(this, session, options);
        for (int i = 0; i < current.length; i++) {
            if (current[i].session == session) {
                Member[] replaced = current.clone();
                replaced[i] = member;
                members = replaced;
                return false;
            }
        }
        Member[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = member;
        members = grown;
        return true;
    }

    /** @return whether the session was a member */
    synchronized boolean remove(Session session) {
        Member[] current = members;
        for (int i = 0; i < current.length; i++) {
            if (current[i].session == session) {
                Member[] shrunk = new Member[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                members = shrunk;
                return true;
            }
        }
        return false;
    }

    /**
     * The member a message goes to: the strategy's choice, or the next member after it, among
     * those whose client is connected; if none is, among all (a persistent session queues it).
     * A member on a no local subscription is skipped for its own messages.
     *
     * @param excluded a member not to pick; when given, only connected members are picked
     * @return null if no member fits
     */
    Member pick(Message message, Session excluded) {
        Member[] current = members;
        int count = current.length;
        if (count == 0 || excluded != null && !anyConnectedBut(current, excluded, message)) {
            return null; // without taking a turn, so that the turns of routed messages stay even
        }
        int first = Math.floorMod(strategy.firstChoice(turns.getAndIncrement(), message), count);
        // isConnected is read from another loop than the session's: a moment stale at worst,
        // which costs a message queued for a client that just left, as with any subscriber.
        for (int i = 0; i < count; i++) {
            Member member = current[(first + i) % count];
            if (member.session != excluded && member.mayTake(message) && member.session.isConnected()) {
                return member;
            }
        }
        if (excluded != null) {
            return null;
        }
        for (int i = 0; i < count; i++) {
            Member member = current[(first + i) % count];
            if (member.mayTake(message)) {
                return member;
            }
        }
        return null;
    }

    private static boolean anyConnectedBut(Member[] current, Session excluded, Message message) {
        for (Member member : current) {
            if (member.session != excluded && member.mayTake(message) && member.session.isConnected()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A message {@code from} got through this group and did not finish before its connection
     * ended goes to another connected member, as if routed anew. Call on {@code from}'s owner loop.
     *
     * @return false if no other member is connected: the message stays with {@code from}
     */
    public boolean handBack(Session from, Message message) {
        Member member = pick(message, from);
        if (member == null) {
            return false;
        }
        member.take(message);
        return true;
    }

    @Override
    public String toString() {
        return "SharedGroup[" + share.subscription() + ", " + members.length + " members]";
    }

    /**
     * A session's membership, with its own granted QoS and options: what the router delivers to,
     * like a direct subscription of the session, except that the session learns the group so that
     * it can {@linkplain #handBack hand back} what it could not finish.
     */
    static final class Member implements Subscriber {
        private final SharedGroup group;
        private final Session session;
        private final int options;

        Member(SharedGroup group, Session session, int options) {
            this.group = group;
            this.session = session;
            this.options = options;
        }

        Session session() {
            return session;
        }

        int options() {
            return options;
        }

        boolean mayTake(Message message) {
            return !SubscriptionOptions.noLocal(options)
                    || message.origin() == null || !message.origin().clientId().equals(session.clientId());
        }

        /** Delivers exactly as the router delivers to a direct subscriber. */
        void take(Message message) {
            int qos = SubscriptionOptions.qos(options);
            boolean retain = message.retain() && SubscriptionOptions.retainAsPublished(options);
            CrossLoopDelivery.deliver(this, message, qos, retain, storeDelivery(message, qos, retain));
        }

        @Override
        public EventExecutor owner() {
            return session.owner();
        }

        @Override
        public String clientId() {
            return session.clientId();
        }

        @Override
        public boolean deliver(Message message, int qos, boolean retain, long stored) {
            return session.deliverShared(group, message, qos, retain, stored);
        }

        @Override
        public long storeDelivery(Message message, int qos, boolean retain) {
            return session.storeDelivery(message, qos, retain);
        }

        @Override
        public void incomingSent() {
            session.incomingSent();
        }

        @Override
        public void incomingArrived() {
            session.incomingArrived();
        }

        @Override
        public boolean isCongested() {
            return session.isCongested();
        }

        @Override
        public void awaitDrain(DrainWaiter waiter) {
            session.awaitDrain(waiter);
        }
    }
}
