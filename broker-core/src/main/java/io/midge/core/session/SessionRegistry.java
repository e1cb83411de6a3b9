package io.midge.core.session;

import io.midge.core.store.BrokerStore;
import io.midge.core.sys.BrokerStats;
import io.midge.core.store.StoredSession;
import io.netty.util.concurrent.EventExecutor;

import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * All sessions by client id, and the protocol for handing one between connections.
 *
 * <p>A session is only ever changed on its owner loop, so a takeover runs there: it closes the
 * current connection (whose will is then published if either side has clean session set),
 * clears the session unless it is resumed, moves ownership to the new connection's loop and attaches the new connection there. Requests
 * that reach a loop which no longer owns the session follow it to its new owner, so concurrent
 * connects for one client id are applied one after another without locks.
 */
public final class SessionRegistry {

    /** What a successful connect yields, on the new connection's loop. */
    public record Attached(Session session, boolean sessionPresent) {}

    private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Consumer<Session> discardSubscriptions;
    private final Clock clock;
    private final BrokerStore store;
    private final BrokerStats stats;
    /** Handed to every session this registry makes. */
    private final SessionServices sessionServices;

    /**
     * @param discardSubscriptions removes a session's subscriptions from the routing index; called on the owner loop
     */
    public SessionRegistry(SessionLimits limits, Consumer<Session> discardSubscriptions, Clock clock) {
        this(limits, discardSubscriptions, clock, BrokerStore.NONE);
    }

    /** @param store keeps persistent sessions across restarts */
    public SessionRegistry(SessionLimits limits, Consumer<Session> discardSubscriptions, Clock clock, BrokerStore store) {
        this(limits, discardSubscriptions, clock, store, new BrokerStats());
    }

    /** @param stats where sessions count the messages they drop and the registry the sessions that expire */
    public SessionRegistry(SessionLimits limits, Consumer<Session> discardSubscriptions, Clock clock, BrokerStore store,
                           BrokerStats stats) {
        this(limits, discardSubscriptions, clock, store, stats, MemoryBudget.UNLIMITED);
    }

    /** @param memory memory_limit, which the sessions' queues and in-flight windows are charged to */
    public SessionRegistry(SessionLimits limits, Consumer<Session> discardSubscriptions, Clock clock, BrokerStore store,
                           BrokerStats stats, MemoryBudget memory) {
        this.discardSubscriptions = discardSubscriptions;
        this.clock = clock;
        this.store = store;
        this.stats = stats;
        this.sessionServices = new SessionServices(limits, store, stats, memory);
    }

    /** memory_limit, as the sessions count it; protocols check it before taking in more. */
    public MemoryBudget memory() {
        return sessionServices.memory();
    }

    /**
     * Puts back a session read from the store, owned by {@code owner}, before any client
     * connects; the caller adds its subscriptions to the routing index.
     */
    public Session restore(StoredSession stored, EventExecutor owner) {
        Session session = new Session(stored.clientId(), owner, sessionServices);
        session.restore(stored, clock.millis());
        if (stored.disconnectedAtMillis() == 0) {
            // Its client was connected when the broker stopped: it is away from now on, and its will is published once.
            store.putSession(stored.clientId(), stored.incarnation(), clock.millis(), null, stored.expiryMillis());
        }
        sessions.put(stored.clientId(), session);
        if (stored.expiryMillis() != Session.NEVER_EXPIRES) {
            // The expiry interval runs on across the restart: the time the broker was down counts.
            expireLater(session, Math.max(0, session.disconnectedAtMillis() + stored.expiryMillis() - clock.millis()));
        }
        return session;
    }

    public int size() {
        return sessions.size();
    }

    /**
     * Messages the sessions hold for their clients (queued, in flight, or received at QoS 2 and
     * awaiting release), for $SYS. Read from another thread than the sessions' owners, so a
     * figure from a moment ago.
     */
    public long heldMessages() {
        long held = 0;
        for (Session session : sessions.values()) {
            held += session.heldMessages();
        }
        return held;
    }

    /** Payload bytes of the messages queued for clients; see {@link #heldMessages}. */
    public long heldPayloadBytes() {
        long bytes = 0;
        for (Session session : sessions.values()) {
            bytes += session.queuedPayloadBytes();
        }
        return bytes;
    }

    /** Every session, connected or not: a live view, each seen as it is at the moment it is reached. */
    public Collection<Session> all() {
        return Collections.unmodifiableCollection(sessions.values());
    }

    /**
     * Sessions and what they hold, summed for metrics. Read from another thread than the
     * sessions' owners, so figures from a moment ago.
     */
    public QueueTotals queueTotals() {
        long online = 0;
        long queued = 0;
        long maxQueued = 0;
        long queuedBytes = 0;
        long inflight = 0;
        long total = 0;
        for (Session session : sessions.values()) {
            total++;
            if (session.isConnected()) {
                online++;
            }
            int depth = session.queuedFromAnyThread();
            queued += depth;
            maxQueued = Math.max(maxQueued, depth);
            queuedBytes += session.queuedPayloadBytes();
            inflight += session.inflightFromAnyThread();
        }
        return new QueueTotals(online, total - online, queued, maxQueued, queuedBytes, inflight);
    }

    /** @see #queueTotals */
    public record QueueTotals(long online, long offline, long queued, long maxQueued, long queuedBytes, long inflight) {}

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    /**
     * Connects a client: creates, resumes or takes over its session. {@code onAttached} runs on
     * {@code loop} once the connection owns the session; if a later connect for the same id
     * overtakes this one, {@code connection.closeTakenOver()} is called instead.
     */
    public void connect(String clientId, boolean cleanSession, EventExecutor loop,
                        ClientConnection connection, Consumer<Attached> onAttached) {
        connect(clientId, cleanSession, cleanSession ? 0 : Session.NEVER_EXPIRES, loop, connection, onAttached);
    }

    /**
     * Connects an MQTT 5 client, whose clean start and session expiry interval are separate: a
     * clean start discards what the session held, and {@code expiryMillis} says how long the
     * session outlives this connection (0: not at all; {@link Session#NEVER_EXPIRES}).
     */
    public void connect(String clientId, boolean cleanStart, long expiryMillis, EventExecutor loop,
                        ClientConnection connection, Consumer<Attached> onAttached) {
        Session session = sessions.computeIfAbsent(clientId, id -> new Session(id, loop, sessionServices));
        handOver(session, new ConnectRequest(cleanStart, expiryMillis, loop, connection, onAttached));
    }

    /**
     * Keeps a persistent session for a client id nobody is connected with, creating it if there is
     * none: a bridge's, so that what its {@code out} topics match is kept for it before it first
     * reaches its remote broker, as mosquitto does; it is never expired (persistent_client_expiration),
     * as mosquitto's bridges are not. {@code then} runs on the session's owner loop,
     * unless a client holds the id by then.
     */
    public void holdOffline(String clientId, EventExecutor loop, Consumer<Session> then) {
        Session session = sessions.computeIfAbsent(clientId, id -> new Session(id, loop, sessionServices));
        session.owner().execute(() -> {
            if (session.isDestroyed()) {
                holdOffline(clientId, loop, then);
            } else if (session.owner().inEventLoop() && !session.isConnected()) {
                if (session.cleanSession()) {
                    session.setCleanSession(false);
                    session.setExpiryMillis(Session.NEVER_EXPIRES);
                    session.persist();
                }
                session.neverExpire();
                then.accept(session);
            }
        });
    }

    /** @param cleanSession clean session (3.1.1) or clean start (5): what the session held is discarded */
    private record ConnectRequest(boolean cleanSession, long expiryMillis, EventExecutor loop,
                                  ClientConnection connection, Consumer<Attached> onAttached) {}

    private void handOver(Session session, ConnectRequest request) {
        EventExecutor owner = session.owner();
        if (!owner.inEventLoop()) {
            owner.execute(() -> handOver(session, request));
            return;
        }
        if (session.isDestroyed()) {
            // A clean session ended while this request was on its way: start from the registry again.
            connect(session.clientId(), request.cleanSession, request.expiryMillis, request.loop, request.connection,
                    request.onAttached);
            return;
        }
        ClientConnection previous = session.connection();
        if (previous != null) {
            session.detach(clock.millis());
            previous.closeTakenOver(request.cleanSession);
        }
        // A session created for this very request starts with cleanSession set, so it is never 'resumed'.
        boolean resumed = !request.cleanSession && !session.cleanSession();
        if (resumed) {
            session.cancelDelayedWill();
        } else {
            // A new session: the old one has ended, and with it the delay of its will.
            session.publishDelayedWillNow();
            session.handBackSharedDeliveries();
            discardSubscriptions.accept(session);
            session.clearState();
        }
        boolean endsAtDisconnect = request.expiryMillis == 0;
        session.setCleanSession(endsAtDisconnect);
        session.setExpiryMillis(request.expiryMillis);
        if (!endsAtDisconnect) {
            session.persist();
        }
        long generation = session.nextGeneration();
        session.moveTo(request.loop);
        Runnable attach = () -> attach(session, request, generation, resumed);
        if (request.loop.inEventLoop()) {
            attach.run();
        } else {
            request.loop.execute(attach);
        }
    }

    private void attach(Session session, ConnectRequest request, long generation, boolean resumed) {
        if (session.generation() != generation || !session.owner().inEventLoop() || session.isDestroyed()) {
            request.connection.closeTakenOver(true);
            return;
        }
        session.attach(request.connection);
        request.onAttached.accept(new Attached(session, resumed));
    }

    /**
     * The connection closed (for any reason but a takeover). Call on the session's owner loop. A
     * clean session ends here; a persistent one keeps its subscriptions and queue.
     */
    public void disconnected(Session session, ClientConnection connection) {
        if (session.connection() != connection) {
            return; // already taken over by a newer connection
        }
        session.detach(clock.millis());
        if (session.cleanSession()) {
            destroy(session);
        } else {
            session.handBackSharedDeliveries();
            if (session.expiryMillis() != Session.NEVER_EXPIRES) {
                expireLater(session, session.expiryMillis());
            }
        }
    }

    /**
     * Changes how long a connected session outlives its connection (an MQTT 5 DISCONNECT's
     * session expiry interval). Call on the owner loop.
     */
    public void changeExpiry(Session session, long expiryMillis) {
        session.setExpiryMillis(expiryMillis);
        boolean endsAtDisconnect = expiryMillis == 0;
        if (endsAtDisconnect != session.cleanSession()) {
            session.setCleanSession(endsAtDisconnect);
            if (!endsAtDisconnect) {
                session.persist();
            }
        }
    }

    /** An MQTT 5 session expiry interval: the session ends then, unless its client came back meanwhile. */
    private void expireLater(Session session, long expiryMillis) {
        long generation = session.generation();
        session.owner().schedule(() -> {
            if (session.owner().inEventLoop() && session.generation() == generation
                    && !session.isDestroyed() && !session.isConnected()) {
                destroy(session);
                stats.clientExpired();
            }
        }, expiryMillis, TimeUnit.MILLISECONDS);
    }

    private void destroy(Session session) {
        session.publishDelayedWillNow();
        session.markDestroyed();
        session.handBackSharedDeliveries();
        discardSubscriptions.accept(session);
        session.clearState();
        sessions.remove(session.clientId(), session);
    }

    /** Runs {@code action} for every connected client, each on its session's owner loop. */
    public void forEachConnected(Consumer<ClientConnection> action) {
        for (Session session : sessions.values()) {
            session.owner().execute(() -> {
                ClientConnection connection = session.connection();
                if (connection != null && session.owner().inEventLoop()) {
                    action.accept(connection);
                }
            });
        }
    }

    /** Ends persistent sessions whose client has been away longer than {@code expiryMillis} (persistent_client_expiration). */
    public void expireSessions(long expiryMillis) {
        long cutoff = clock.millis() - expiryMillis;
        for (Session session : sessions.values()) {
            session.owner().execute(() -> {
                if (!session.isDestroyed() && !session.isConnected() && !session.neverExpires()
                        && session.disconnectedAtMillis() < cutoff
                        && session.owner().inEventLoop()) {
                    destroy(session);
                    stats.clientExpired();
                }
            });
        }
    }
}
