package io.midge.core.session;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.message.Message;
import io.midge.core.message.Origin;
import io.midge.core.message.MessageIds;
import io.midge.core.store.BrokerStore;
import io.midge.core.store.Commit;
import io.midge.core.store.StoredOutbound;
import io.midge.core.store.StoredSession;
import io.midge.core.sys.BrokerStats;
import io.midge.core.route.DrainWaiter;
import io.midge.core.route.SharedGroup;
import io.midge.core.route.SharedFilter;
import io.midge.core.route.Subscriber;
import io.midge.core.topic.SubscriptionOptions;
import io.midge.core.topic.Topics;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.HashMap;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.Collection;
import java.util.List;

/**
 * One client id's MQTT session: its subscriptions, the outbound in-flight window and queue, and
 * the inbound QoS 2 packet identifiers awaiting PUBREL.
 *
 * <p>All state is owned by one event loop, {@link #owner()}, and touched only there; no locks.
 * Ownership moves to the loop of a new connection when a client reconnects (see
 * {@link SessionRegistry}). Deliveries from other loops arrive as tasks on the owner.
 */
public final class Session implements Subscriber {

    private static final Logger log = LoggerFactory.getLogger("midge");

    private final String clientId;
    /** The registry's limits, store and stats, behind one reference that all its sessions share. */
    private final SessionServices services;
    private volatile EventExecutor owner;
    /**
     * Non-zero while this is a persistent session whose state the store keeps; it changes
     * whenever the session is cleared. Publishers on other loops read it to store what they route
     * here (see {@link #storedIncarnation}).
     */
    private volatile long incarnation;

    private ClientConnection connection;
    /** Who the client last connected as (its user name and rules), for the read checks of messages delivered to it. */
    private Origin reader = ANYONE;
    /** Until a client connects, as for a session read back from the store, every message may be read. */
    private static final Origin ANYONE = new Origin(null, null, AllowAllAuthorizer.INSTANCE);
    private boolean cleanSession = true;
    private boolean destroyed;
    /** A bridge's: persistent_client_expiration does not apply, as in mosquitto ("outgoing bridge connections never expire"). */
    private boolean neverExpires;
    /** Bumped at every takeover, so that a connection which lost a race for the session can tell. */
    private long generation;
    private long disconnectedAtMillis;
    /**
     * How long the session outlives its connection: 0 ends it at disconnect (clean session),
     * {@link #NEVER_EXPIRES} keeps it (3.1.1's persistent session, or MQTT 5's 0xFFFFFFFF),
     * subject to persistent_client_expiration.
     */
    private long expiryMillis;
    public static final long NEVER_EXPIRES = StoredSession.NEVER_EXPIRES;
    /** The connected client's receive maximum (MQTT 5): never more QoS 1 and 2 messages in flight to it. */
    private int receiveMaximum = Integer.MAX_VALUE;
    /** A will waiting out its MQTT 5 will delay interval, or null. */
    private DelayedWill delayedWill;

    // Collections are created on first use: an idle connection's session should cost little.
    private Map<String, Integer> subscriptions;
    /** Some subscription has (or had) an MQTT 5 subscription identifier: deliveries look them up. */
    private boolean hasSubscriptionIds;
    /** Null until the first QoS 1 or 2 message goes out; then kept, as it numbers packet identifiers on. */
    private InflightWindow inflight;
    /** Null while nothing is queued. */
    private OutboundQueue queue;
    /** Inbound QoS 2 messages stored until their PUBREL, by packet identifier (method A of the spec, as mosquitto). */
    private Map<Integer, AwaitingRelease> inboundQos2AwaitingRelease;
    /** Which shared subscription group brought the QoS 1 and 2 messages held here; null until one does. */
    private SharedDeliveries sharedDeliveries;

    /** An inbound QoS 2 message and how many copies of it arrived. */
    private static final class AwaitingRelease {
        Message message;
        int copies = 1;

        AwaitingRelease(Message message) {
            this.message = message;
        }
    }
    private long droppedMessages;
    private boolean dropping;
    /**
     * When the queue of this connected session passed its high-water mark, in System.nanoTime(), or
     * 0. Read by publishers on other loops, which hold back while it is set (see {@link #isCongested}).
     */
    private volatile long congestedSinceNanos;
    /** Deliveries handed to this session by other loops and not yet arrived; see {@link #isCongested}. */
    private volatile int incoming;
    /** The queue's length as other loops may read it; written by the owner whenever it changes. */
    private volatile int queuedSnapshot;
    /**
     * Publishers held back by this session, woken when it drains; see {@link #awaitDrain}. Null
     * until a publisher first waits, which may happen on any loop, hence volatile.
     */
    private volatile DrainWaiters drainWaiters;
    private static final AtomicIntegerFieldUpdater<Session> INCOMING =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "incoming");
    private static final AtomicReferenceFieldUpdater<Session, DrainWaiters> DRAIN_WAITERS =
            AtomicReferenceFieldUpdater.newUpdater(Session.class, DrainWaiters.class, "drainWaiters");

    Session(String clientId, EventExecutor owner, SessionLimits limits) {
        this(clientId, owner, limits, BrokerStore.NONE);
    }

    Session(String clientId, EventExecutor owner, SessionLimits limits, BrokerStore store) {
        this(clientId, owner, limits, store, new BrokerStats());
    }

    Session(String clientId, EventExecutor owner, SessionLimits limits, BrokerStore store, BrokerStats stats) {
        this(clientId, owner, new SessionServices(limits, store, stats));
    }

    Session(String clientId, EventExecutor owner, SessionServices services) {
        this.clientId = clientId;
        this.owner = owner;
        this.services = services;
    }

    @Override
    public String clientId() { return clientId; }

    @Override
    public EventExecutor owner() { return owner; }

    void moveTo(EventExecutor newOwner) {
        this.owner = newOwner;
    }

    public boolean isConnected() { return connection != null; }

    ClientConnection connection() { return connection; }

    /** What monitoring shows of this session; call on the owner loop. */
    public SessionView view() {
        return new SessionView(clientId, connection != null, !cleanSession, queuedSize(),
                inflightSize(), droppedMessages, connection != null ? connection.info() : ClientInfo.UNKNOWN,
                Map.copyOf(subscriptions()));
    }

    /** An administrator disconnects the client, if connected; call on the owner loop. */
    public boolean disconnectByAdministrator() {
        if (connection == null) {
            return false;
        }
        connection.closeByAdministrator();
        return true;
    }

    public boolean cleanSession() { return cleanSession; }

    void setCleanSession(boolean cleanSession) { this.cleanSession = cleanSession; }

    /** @see #expiryMillis */
    public long expiryMillis() { return expiryMillis; }

    void setExpiryMillis(long expiryMillis) { this.expiryMillis = expiryMillis; }

    /**
     * The client's receive maximum (MQTT 5), or {@link Integer#MAX_VALUE} for none; call on the
     * owner loop once the connection owns the session.
     */
    public void limitInflight(int clientReceiveMaximum) { this.receiveMaximum = clientReceiveMaximum; }

    /**
     * Publishes {@code will} after {@code delayMillis}, unless the client reconnects to this
     * session first (MQTT 5's will delay interval). Call on the owner loop.
     */
    public void delayWill(Runnable publishWill, long delayMillis) {
        DelayedWill will = new DelayedWill(publishWill);
        delayedWill = will;
        will.schedule(owner, delayMillis);
    }

    /** A connection took the session back in time: the delayed will is not published. */
    void cancelDelayedWill() {
        DelayedWill will = delayedWill;
        delayedWill = null;
        if (will != null) {
            will.cancel();
        }
    }

    /** The session ends (or starts anew) before the will's delay is over: the will goes out now. */
    void publishDelayedWillNow() {
        DelayedWill will = delayedWill;
        delayedWill = null;
        if (will != null) {
            will.fireNow();
        }
    }

    boolean isDestroyed() { return destroyed; }

    void neverExpire() { neverExpires = true; }

    boolean neverExpires() { return neverExpires; }

    void markDestroyed() { destroyed = true; }

    long generation() { return generation; }

    long nextGeneration() { return ++generation; }

    long disconnectedAtMillis() { return disconnectedAtMillis; }

    /**
     * Filters this session holds, with their {@link io.midge.core.topic.SubscriptionOptions}
     * (the granted QoS in the low bits); read-only view.
     */
    public Map<String, Integer> subscriptions() {
        return subscriptions == null ? Map.of() : Collections.unmodifiableMap(subscriptions);
    }

    /** @param options the granted QoS and option flags; @return the previous options, or -1. */
    public int recordSubscription(String filter, int options) {
        if (subscriptions == null) {
            subscriptions = new HashMap<>();
        }
        Integer previous = subscriptions.put(filter, options);
        hasSubscriptionIds |= SubscriptionOptions.subscriptionId(options) != 0;
        if (incarnation != 0) {
            store().putSubscription(clientId, filter, options);
        }
        return previous == null ? -1 : previous;
    }

    /**
     * The MQTT 5 subscription identifiers of this session's subscriptions that match {@code topic},
     * looked up as the message goes out, so they need not travel with every delivery; empty when
     * no subscription has one [MQTT-3.3.4-3].
     */
    public int[] subscriptionIdsMatching(String topic) {
        if (subscriptions == null || !hasSubscriptionIds) {
            return NO_IDS;
        }
        int[] ids = NO_IDS;
        for (Map.Entry<String, Integer> subscription : subscriptions.entrySet()) {
            int id = SubscriptionOptions.subscriptionId(subscription.getValue());
            if (id != 0 && Topics.matches(matchingFilter(subscription.getKey()), topic)) {
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = id;
            }
        }
        return ids;
    }

    private static final int[] NO_IDS = new int[0];

    /** The filter a subscription matches topics with: a share's own filter (only valid shares are ever recorded). */
    private static String matchingFilter(String subscription) {
        return SharedFilter.isShare(subscription) ? SharedFilter.parse(subscription).filter() : subscription;
    }

    public boolean forgetSubscription(String filter) {
        boolean had = subscriptions != null && subscriptions.remove(filter) != null;
        if (had && incarnation != 0) {
            store().removeSubscription(clientId, filter);
        }
        return had;
    }

    // ---- persistence ----

    /** The QoS a message goes out with on a subscription granted {@code grantedQos}. */
    private int deliveryQos(Message message, int grantedQos) {
        return limits().upgradeOutgoingQos() ? grantedQos : Math.min(message.qos(), grantedQos);
    }

    /** Stores under the incarnation of now, which {@link #deliver} compares with its own when the message arrives. */
    @Override
    public long storeDelivery(Message message, int grantedQos, boolean retain) {
        long current = incarnation;
        int qos = deliveryQos(message, grantedQos);
        if (current == 0 || qos == 0) {
            return 0;
        }
        store().putOutbound(clientId, current, message, qos, retain);
        return current;
    }

    /** Whether a delivery at {@code qos} is kept in the store for this session. */
    private boolean storesAt(int qos) {
        return incarnation != 0 && qos > 0;
    }

    /** The client connected: the store records the session as connected, with its will. Call on the owner loop. */
    public void connected(Message will) {
        if (incarnation != 0) {
            store().putSession(clientId, incarnation, 0, will, expiryMillis);
        }
    }

    private void removeFromStore() {
        if (incarnation == 0) {
            return;
        }
        long[] held = heldStoredIds();
        store().removeSession(clientId, held);
        incarnation = 0;
    }

    private long[] heldStoredIds() {
        LongStream.Builder ids = LongStream.builder();
        if (queue != null) {
            queue.collectStored(ids);
        }
        for (InflightWindow.Entry entry : inflightEntries()) {
            if (entry.stored) {
                ids.accept(entry.message.id());
            }
        }
        return ids.build().toArray();
    }

    private void doneWith(Message message, boolean stored) {
        if (sharedDeliveries != null) {
            sharedDeliveries.forget(message.id());
        }
        if (stored) {
            store().removeOutbound(clientId, message.id());
        }
    }

    public long droppedMessages() { return droppedMessages; }

    public int inflightCount() { return inflightSize(); }

    public int queuedCount() { return queuedSize(); }

    /**
     * A packet identifier for a bridge's own packets to its remote broker (SUBSCRIBE, UNSUBSCRIBE,
     * its state notification), which share the identifiers of the messages it forwards; no message
     * gets it until {@link #releasePacketId}. Call on the owner loop.
     */
    public int reservePacketId() { return inflight().reserve(); }

    public void releasePacketId(int packetId) {
        if (inflight != null) {
            inflight.release(packetId);
        }
    }

    private SessionLimits limits() { return services.limits(); }

    private BrokerStore store() { return services.store(); }

    private BrokerStats stats() { return services.stats(); }

    // Idle sessions hold no window, queue or waiters: these create them when first needed.

    private InflightWindow inflight() {
        if (inflight == null) {
            inflight = new InflightWindow(services.memory());
        }
        return inflight;
    }

    private OutboundQueue queue() {
        if (queue == null) {
            queue = new OutboundQueue(services.memory());
        }
        return queue;
    }

    /** Publishers on any loop may be the first to wait, so creation races and one instance wins. */
    private DrainWaiters drainWaiters() {
        DrainWaiters waiters = drainWaiters;
        if (waiters == null) {
            waiters = new DrainWaiters();
            if (!DRAIN_WAITERS.compareAndSet(this, null, waiters)) {
                waiters = drainWaiters;
            }
        }
        return waiters;
    }

    private int inflightSize() {
        return inflight == null ? 0 : inflight.size();
    }

    private int queuedSize() {
        return queue == null ? 0 : queue.size();
    }

    private InflightWindow.Entry inflightEntry(int packetId) {
        return inflight == null ? null : inflight.get(packetId);
    }

    private Collection<InflightWindow.Entry> inflightEntries() {
        return inflight == null ? List.of() : inflight.inSendingOrder();
    }

    /** Queued, in flight and inbound QoS 2 awaiting release; may be read, a moment stale, from any thread. */
    long heldMessages() {
        Map<Integer, AwaitingRelease> awaiting = inboundQos2AwaitingRelease;
        InflightWindow window = inflight;
        OutboundQueue queued = queue;
        return (long) (window == null ? 0 : window.size()) + (queued == null ? 0 : queued.size())
                + (awaiting == null ? 0 : awaiting.size());
    }

    /** Payload bytes of the queue; may be read, a moment stale, from any thread. */
    /** Queued messages, read from another thread than the owner: a figure from a moment ago. */
    int queuedFromAnyThread() {
        OutboundQueue queued = queue;
        return queued == null ? 0 : queued.size();
    }

    /** Messages in flight, as {@link #queuedFromAnyThread}. */
    int inflightFromAnyThread() {
        InflightWindow window = inflight;
        return window == null ? 0 : window.size();
    }

    long queuedPayloadBytes() {
        OutboundQueue queued = queue;
        return queued == null ? 0 : queued.bytes();
    }

    // ---- outbound ----

    /**
     * Delivers a routed message: sent now when the client is connected and has room, else queued
     * within the limits, else dropped and counted. Messages the client may not read (acl_file) are
     * never delivered, whether routed live or retained.
     *
     * A persistent session keeps what it holds of QoS 1 and 2 in the store: written by the
     * publisher's thread ({@link #storeDelivery}) for routed messages, here for the others.
     *
     * @param grantedQos        the subscription's QoS
     * @param retain            the retain flag to send (see {@link Subscriber#deliver(Message, int, boolean)})
     * @param storedIncarnation what {@link #storeDelivery} returned: the incarnation the entry was stored under, or 0
     * @return false if the message was dropped
     */
    @Override
    public boolean deliver(Message message, int grantedQos, boolean retain, long storedIncarnation) {
        int qos = deliveryQos(message, grantedQos);
        boolean stored = storedIncarnation != 0;
        if (stored && storedIncarnation != incarnation) {
            // Stored for an earlier incarnation of this session: it was cleared while the message travelled.
            doneWith(message, true);
            stored = false;
        }
        BrokerStats.DropReason undeliverable = undeliverable(message);
        if (undeliverable != null) {
            doneWith(message, stored);
            stats().messageDropped(undeliverable);
            return false;
        }
        if (!stored && storesAt(qos)) {
            store().putOutbound(clientId, incarnation, message, qos, retain);
            stored = true;
        }
        if (connection == null) {
            if (qos == 0 && !limits().queueQos0Messages()) {
                return false;
            }
            return enqueue(message, qos, retain, stored);
        }
        if (queuedSize() == 0 && canSendNow(qos)) {
            send(message, qos, retain, stored);
            return true;
        }
        return enqueue(message, qos, retain, stored);
    }

    /** {@link #deliver}, for a message that came through a shared subscription {@code group}. */
    public boolean deliverShared(SharedGroup group, Message message, int grantedQos, boolean retain, long storedIncarnation) {
        if (connection == null && group.handBack(this, message)) {
            // On its way here when the client left, or picked on a stale view: a connected member takes it.
            doneWith(message, storedIncarnation != 0);
            return true;
        }
        boolean delivered = deliver(message, grantedQos, retain, storedIncarnation);
        if (delivered && deliveryQos(message, grantedQos) > 0) {
            if (sharedDeliveries == null) {
                sharedDeliveries = new SharedDeliveries();
            }
            sharedDeliveries.remember(message.id(), group);
        }
        return delivered;
    }

    /**
     * The client's connection ended: what shared subscriptions brought that the client has not
     * received yet (queued, or in flight unacknowledged) goes to other connected members of their
     * groups. Call on the owner loop once detached.
     */
    void handBackSharedDeliveries() {
        if (sharedDeliveries != null) {
            sharedDeliveries.handBack(this, queue(), inflight(), this::doneWith);
        }
    }

    /** Why the message may not be sent to this client now, or null if it may. */
    private BrokerStats.DropReason undeliverable(Message message) {
        if (!mayRead(message)) {
            return BrokerStats.DropReason.NOT_AUTHORIZED;
        }
        if (message.expires() && message.expired(System.currentTimeMillis())) {
            return BrokerStats.DropReason.EXPIRED;
        }
        return null;
    }

    private boolean mayRead(Message message) {
        Origin client = reader;
        return client.authorizer().canRead(clientId, client.username(), message.topic());
    }

    private boolean enqueue(Message message, int qos, boolean retain, boolean stored) {
        // A connected client its messages pile up for is disconnected before the limit is reached,
        // so that the limit stops it rather than the next publisher; an offline session's queue
        // may fill the limit, and then publishers are refused, as in mosquitto. A QoS 1 or 2
        // message for an offline session passed its publisher's check against the limit and was
        // acknowledged before it got here from the publisher's loop: refusing it now, because
        // the messages ahead of it reached the limit meanwhile, would lose what was acknowledged.
        // The limit is then overshot by at most the messages in transit between the loops.
        boolean outOfMemory = connection != null ? !services.memory().admits(message)
                : qos == 0 && services.memory().exhausted();
        if (!outOfMemory && queue().offer(message, qos, retain, stored, limits())) {
            if (connection != null) {
                queuedSnapshot = queue.size();
                if (congestedSinceNanos == 0 && queue.size() >= limits().congestionHighWater()) {
                    congestedSinceNanos = Math.max(1, System.nanoTime());
                }
            }
            return true;
        }
        doneWith(message, stored);
        droppedMessages++;
        stats().messageDropped(outOfMemory ? BrokerStats.DropReason.MEMORY_LIMIT : BrokerStats.DropReason.QUEUE_FULL);
        if (!dropping) {
            // Once per episode, as mosquitto does: a slow consumer would otherwise flood the log.
            dropping = true;
            log.info("Outgoing messages are being dropped for client {}.", clientId);
        }
        if (outOfMemory && connection != null) {
            connection.closeOutOfMemory();
        }
        return false;
    }

    private boolean canSendNow(int qos) {
        return connection.isWritable()
                && (qos == 0 || inflightSize() < Math.min(limits().inflightCapacity(), receiveMaximum)
                && withinInflightBytes());
    }

    /** max_inflight_bytes, as mosquitto applies it: a message may go while fewer bytes than that are in flight, however large it is. */
    private boolean withinInflightBytes() {
        return limits().maxInflightBytes() == 0 || inflight == null || inflight.payloadBytes() < limits().maxInflightBytes();
    }

    private void send(Message message, int qos, boolean retain, boolean stored) {
        if (!connection.accepts(message, qos, retain)) {
            doneWith(message, stored);
            stats().messageDropped(BrokerStats.DropReason.SIZE_LIMIT);
            return;
        }
        if (qos == 0) {
            connection.sendPublish(0, message, 0, false, retain);
            return;
        }
        InflightWindow.Entry entry = inflight().add(message, qos, retain, stored);
        if (qos == 2 && stored) {
            // The packet identifier must be safe before the client sees it: a resend after a
            // restart under another identifier would be a second message to the client.
            store().updateOutbound(clientId, incarnation, message, qos, retain, entry.packetId, false);
            connection.sendPublish(entry.packetId, message, qos, false, retain, store().commit());
        } else {
            connection.sendPublish(entry.packetId, message, qos, false, retain);
        }
    }

    /** Sends queued messages while the window and the socket have room; call after acks and when writable again. */
    public void drain() {
        OutboundQueue.Queued next;
        while (connection != null && queue != null && (next = queue.peek()) != null && canSendNow(next.qos())) {
            queue.poll();
            // Read rights are those of now, not of when the message was queued: a SIGHUP may have
            // revoked them meanwhile, and mosquitto does not deliver what a client may no longer read.
            // A message whose expiry interval passed while queued is no longer sent [MQTT-3.3.2-5].
            BrokerStats.DropReason undeliverable = undeliverable(next.message());
            if (undeliverable == null) {
                send(next.message(), next.qos(), next.retain(), next.stored());
            } else {
                doneWith(next.message(), next.stored());
                stats().messageDropped(undeliverable);
            }
        }
        if (queue != null && queue.size() == 0) {
            queue = null; // drained: an idle session keeps no queue
        }
        queuedSnapshot = queuedSize();
        if (queuedSnapshot <= limits().congestionLowWater()) {
            congestedSinceNanos = 0;
            dropping = false;
        }
        wakeDrainWaitersIfDrained();
    }

    /**
     * Whether publishers should hold back: this session's client is connected but not keeping up,
     * and its queue is filling. Publishers pause reading until it drains, so that fast producers
     * meet the pace of their consumers instead of overflowing queues. A client that does not
     * read at all stops counting after {@link SessionLimits#MAX_BACKPRESSURE_NANOS}: then its
     * queue overflows and drops, as configured, rather than stalling every publisher.
     */
    @Override
    public boolean isCongested() {
        long since = congestedSinceNanos;
        if (since != 0) {
            return System.nanoTime() - since < SessionLimits.MAX_BACKPRESSURE_NANOS;
        }
        // Publishers on other loops learn of a filling queue one batch late; counting what is on its
        // way lets them hold back before the queue overflows, not after.
        return incoming + queuedSnapshot >= limits().congestionHighWater();
    }

    @Override
    public void incomingSent() {
        INCOMING.incrementAndGet(this);
    }

    @Override
    public void incomingArrived() {
        INCOMING.decrementAndGet(this);
        wakeDrainWaitersIfDrained();
    }

    /**
     * Backpressure as an edge: the waiter is woken when what this session has queued and on its
     * way drains to the low-water mark, or, at the latest, when the episode reaches its cap (a
     * one-shot timer, armed while anyone waits). It registers first and checks second, and the
     * session changes its state first and looks for waiters second, so between them one always
     * sees the other and no wakeup is lost.
     */
    @Override
    public void awaitDrain(DrainWaiter waiter) {
        DrainWaiters waiters = drainWaiters();
        waiters.add(waiter);
        if (isCongested()) {
            armBackpressureCap();
        } else {
            waiters.wakeAll(this);
        }
    }

    /**
     * Down to the low-water mark, not just below the high one, so that publishers go on with
     * room to fill rather than stopping again at the next message. Thread-safe: reads only
     * volatile state.
     */
    private void wakeDrainWaitersIfDrained() {
        DrainWaiters waiters = drainWaiters;
        if (waiters != null && !waiters.isEmpty() && congestedSinceNanos == 0
                && incoming + queuedSnapshot <= limits().congestionLowWater()) {
            waiters.wakeAll(this);
        }
    }

    /** For a client that stops reading: its waiters go on when the episode reaches its cap (see {@link #isCongested}). */
    private void armBackpressureCap() {
        if (drainWaiters().claimCapTimer()) {
            long since = congestedSinceNanos;
            long left = since != 0 ? since + SessionLimits.MAX_BACKPRESSURE_NANOS - System.nanoTime()
                    : SessionLimits.MAX_BACKPRESSURE_NANOS;
            owner.schedule(this::backpressureCapReached, Math.max(0, left), TimeUnit.NANOSECONDS);
        }
    }

    /** May run on a loop that no longer owns the session: it touches only volatile and locked state. */
    private void backpressureCapReached() {
        DrainWaiters waiters = drainWaiters();
        waiters.capTimerFired();
        if (!isCongested()) {
            waiters.wakeAll(this);
        } else if (!waiters.isEmpty()) {
            armBackpressureCap(); // a later episode, or deliveries still on their way
        }
    }

    /** How an acknowledgement from the client relates to what is in flight. */
    public enum AckOutcome {
        /** It completes (or advances) a delivery. */
        ACCEPTED,
        /** No delivery in flight has that packet identifier: mosquitto warns and carries on. */
        UNKNOWN_PACKET_ID,
        /** The packet identifier is in flight at another QoS or phase: a protocol error. */
        WRONG_KIND
    }

    public AckOutcome onPubAck(int packetId) {
        return complete(packetId, InflightWindow.State.AWAIT_PUBACK);
    }

    /**
     * PUBREC moves a QoS 2 delivery to its second phase. The caller answers PUBREL unless the
     * outcome is {@link AckOutcome#WRONG_KIND}, even for an unknown packet identifier, as the
     * spec's receiver expects one.
     */
    public AckOutcome onPubRec(int packetId) {
        InflightWindow.Entry entry = inflightEntry(packetId);
        if (entry == null) {
            return AckOutcome.UNKNOWN_PACKET_ID;
        }
        if (entry.qos != 2) {
            return AckOutcome.WRONG_KIND;
        }
        // A repeated PUBREC (the client did not see our PUBREL) is answered again.
        if (entry.state != InflightWindow.State.AWAIT_PUBCOMP && entry.stored) {
            store().updateOutbound(clientId, incarnation, entry.message, 2, entry.retain, packetId, true);
        }
        entry.state = InflightWindow.State.AWAIT_PUBCOMP;
        return AckOutcome.ACCEPTED;
    }

    public AckOutcome onPubComp(int packetId) {
        return complete(packetId, InflightWindow.State.AWAIT_PUBCOMP);
    }

    /** An MQTT 5 PUBREC with an error reason code: the client refused the message, and its delivery ends there [MQTT-4.3.3-1]. */
    public AckOutcome onPubRecRefused(int packetId) {
        InflightWindow.Entry entry = inflightEntry(packetId);
        if (entry != null && entry.qos != 2) {
            return AckOutcome.WRONG_KIND;
        }
        return complete(packetId, InflightWindow.State.AWAIT_PUBREC);
    }

    private AckOutcome complete(int packetId, InflightWindow.State expected) {
        InflightWindow.Entry entry = inflightEntry(packetId);
        if (entry == null) {
            return AckOutcome.UNKNOWN_PACKET_ID;
        }
        if (entry.state != expected) {
            return AckOutcome.WRONG_KIND;
        }
        inflight.remove(packetId);
        doneWith(entry.message, entry.stored);
        drain();
        return AckOutcome.ACCEPTED;
    }

    // ---- inbound QoS 2 ----

    /** What became of an inbound QoS 2 PUBLISH; the client gets PUBREC in every case but a third copy. */
    public enum InboundQos2 {
        /** Stored until its PUBREL. */
        STORED,
        /** The same message again under an unreleased packet identifier: a resend, already stored. */
        REPEATED,
        /** A third copy before PUBREL: mosquitto takes it for a broken client and disconnects it. */
        REPEATED_TOO_OFTEN,
        /** A different message under an unreleased packet identifier: it replaces the stored one, as in mosquitto. */
        REPLACED,
        /** Too many messages await release: dropped, as mosquitto drops beyond its limits(). */
        DROPPED
    }

    /**
     * A QoS 2 PUBLISH arrived: it is stored, and routed only when its PUBREL comes
     * ({@link #releaseInboundQos2}), so a resend before then is never delivered twice.
     */
    public InboundQos2Receipt receiveInboundQos2(int packetId, Message message) {
        if (inboundQos2AwaitingRelease == null) {
            inboundQos2AwaitingRelease = new HashMap<>();
        }
        AwaitingRelease stored = inboundQos2AwaitingRelease.get(packetId);
        if (stored != null) {
            if (sameMessage(stored.message, message)) {
                return InboundQos2Receipt.committed(++stored.copies > 2 ? InboundQos2.REPEATED_TOO_OFTEN : InboundQos2.REPEATED);
            }
            stored.message = message;
            stored.copies = 1;
            return storedInbound(InboundQos2.REPLACED, packetId, message);
        }
        if (inboundQos2AwaitingRelease.size() >= limits().inboundQos2Capacity()) {
            return InboundQos2Receipt.committed(InboundQos2.DROPPED);
        }
        inboundQos2AwaitingRelease.put(packetId, new AwaitingRelease(message));
        return storedInbound(InboundQos2.STORED, packetId, message);
    }

    /** A persistent session's PUBREC waits until the message is in the store(). */
    private InboundQos2Receipt storedInbound(InboundQos2 outcome, int packetId, Message message) {
        if (incarnation == 0) {
            return InboundQos2Receipt.committed(outcome);
        }
        store().putInbound(clientId, packetId, message);
        return new InboundQos2Receipt(outcome, store().commit());
    }

    private static boolean sameMessage(Message a, Message b) {
        return a.qos() == b.qos() && a.retain() == b.retain() && a.topic().equals(b.topic())
                && Arrays.equals(a.payload(), b.payload());
    }

    /** PUBREL: @return the message to route now, or null if none awaited release under that packet identifier */
    public Message releaseInboundQos2(int packetId) {
        if (inboundQos2AwaitingRelease == null) {
            return null;
        }
        AwaitingRelease released = inboundQos2AwaitingRelease.remove(packetId);
        if (inboundQos2AwaitingRelease.isEmpty()) {
            inboundQos2AwaitingRelease = null;
        }
        if (released != null && incarnation != 0) {
            store().removeInbound(clientId, packetId);
        }
        return released == null ? null : released.message;
    }

    // ---- connection lifecycle, driven by SessionRegistry ----

    void attach(ClientConnection newConnection) {
        this.connection = newConnection;
    }

    /**
     * Sets whose read rights apply to deliveries: the connecting client's user name and rules
     * (its {@link Origin}, which the connection holds anyway); call on the owner loop when the client connects.
     */
    public void authorize(Origin client) {
        this.reader = client;
    }

    /** After CONNACK: resend what was in flight, with DUP, in the original order; then send what queued up. */
    public void resume() {
        if (connection == null) {
            return;
        }
        // What the client may no longer read (a new user name, or an ACL reloaded since) is not
        // resent, as mosquitto does on reconnect; a PUBREL is, its message being delivered already.
        if (inflight != null) {
            inflight.removeIf(entry -> {
                boolean unreadable = entry.state != InflightWindow.State.AWAIT_PUBCOMP && !mayRead(entry.message);
                if (unreadable) {
                    doneWith(entry.message, entry.stored);
                }
                return unreadable;
            });
        }
        for (InflightWindow.Entry entry : inflightEntries()) {
            if (entry.state == InflightWindow.State.AWAIT_PUBCOMP) {
                connection.sendPubRel(entry.packetId);
            } else {
                connection.sendPublish(entry.packetId, entry.message, entry.qos, true, entry.retain);
            }
        }
        drain();
    }

    void detach(long nowMillis) {
        if (incarnation != 0) {
            store().putSession(clientId, incarnation, nowMillis, null, expiryMillis);
        }
        connection = null;
        receiveMaximum = Integer.MAX_VALUE;
        congestedSinceNanos = 0;
        queuedSnapshot = 0; // an offline client's queue holds nobody back
        disconnectedAtMillis = nowMillis;
        if (!limits().queueQos0Messages()) {
            if (queue != null) {
                queue.removeQos0();
            }
        }
        wakeDrainWaitersIfDrained();
    }

    /** Forgets everything but the client id: a clean start. The caller removes the subscriptions from the index. */
    void clearState() {
        removeFromStore();
        congestedSinceNanos = 0;
        queuedSnapshot = 0;
        subscriptions = null;
        if (inflight != null) {
            inflight.clear();
        }
        if (queue != null) {
            queue.clear();
        }
        queue = null;
        inboundQos2AwaitingRelease = null;
        sharedDeliveries = null;
        wakeDrainWaitersIfDrained();
    }

    /** The session is to be kept (clean session 0): from now on the store keeps its state. Call on the owner loop. */
    void persist() {
        if (incarnation == 0 && store().isPersistent()) {
            incarnation = MessageIds.next();
            store().putSession(clientId, incarnation, 0, null, expiryMillis);
            if (subscriptions != null) {
                subscriptions.forEach((filter, qos) -> store().putSubscription(clientId, filter, qos));
            }
        }
    }

    /** Rebuilds a session read back from the store; its client is offline. Call before the broker serves anyone. */
    void restore(StoredSession stored, long nowMillis) {
        incarnation = stored.incarnation();
        cleanSession = false;
        expiryMillis = stored.expiryMillis();
        disconnectedAtMillis = stored.disconnectedAtMillis() != 0 ? stored.disconnectedAtMillis() : nowMillis;
        if (!stored.subscriptions().isEmpty()) {
            subscriptions = new HashMap<>(stored.subscriptions());
            hasSubscriptionIds = subscriptions.values().stream().anyMatch(o -> SubscriptionOptions.subscriptionId(o) != 0);
        }
        for (StoredOutbound entry : stored.outbound()) {
            if (entry.packetId() != 0 && entry.qos() == 2) {
                inflight().restore(entry.packetId(), entry.message(), entry.retain(), entry.released());
            } else {
                queue().restore(new OutboundQueue.Queued(entry.message(), entry.qos(), entry.retain(), true));
            }
        }
        stored.inbound().forEach((packetId, message) -> {
            if (inboundQos2AwaitingRelease == null) {
                inboundQos2AwaitingRelease = new HashMap<>();
            }
            inboundQos2AwaitingRelease.put(packetId, new AwaitingRelease(message));
        });
    }

    @Override
    public String toString() {
        return "Session[" + clientId + "]";
    }
}
