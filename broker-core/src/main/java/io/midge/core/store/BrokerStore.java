package io.midge.core.store;

import io.midge.core.message.Message;

/**
 * What must survive a restart: retained messages and persistent sessions (their subscriptions,
 * the messages queued or in flight to them, the inbound QoS 2 messages awaiting PUBREL, and the
 * will of a connected client). Clean sessions are never stored, as in mosquitto.
 *
 * <p>Every write may be called from any thread and returns at once; writes are applied in the
 * order they were made. {@link #commit()} marks the point at which everything the calling
 * thread wrote so far is safe. A message fanned out to many sessions is stored once and
 * referenced by each session's entry; it is removed with its last reference.
 */
public interface BrokerStore extends AutoCloseable {

    /** Persistence off: nothing is written, and every commit is already done. */
    BrokerStore NONE = new NoStore();

    /** Whether writes reach a store at all; false for {@link #NONE}. */
    boolean isPersistent();

    // ---- retained messages ----

    void putRetained(Message message);

    void removeRetained(String topic);

    // ---- sessions ----

    /**
     * Creates or rewrites a persistent session's record.
     *
     * @param incarnation          changes whenever the session is cleared, so entries written for an
     *                             earlier incarnation are never mistaken for this one's
     * @param disconnectedAtMillis when its client left, or 0 while it is connected
     * @param will                 the connected client's will, published at recovery if the broker
     *                             stopped without the client disconnecting; null for none
     */
    void putSession(String clientId, long incarnation, long disconnectedAtMillis, Message will, long expiryMillis);

    /** A session that never expires by itself (3.1.1's persistent sessions). */
    default void putSession(String clientId, long incarnation, long disconnectedAtMillis, Message will) {
        putSession(clientId, incarnation, disconnectedAtMillis, will, StoredSession.NEVER_EXPIRES);
    }

    /**
     * Removes a session with all it holds. {@code heldMessageIds} are the ids of the stored
     * outbound entries the session knows of, so their messages lose a reference.
     */
    void removeSession(String clientId, long[] heldMessageIds);

    /** @param options the granted QoS and {@link io.midge.core.topic.SubscriptionOptions} flags */
    void putSubscription(String clientId, String filter, int options);

    void removeSubscription(String clientId, String filter);

    // ---- outbound: queued and in flight ----

    /** A message routed to a persistent session; stored with its message unless that is stored already. */
    void putOutbound(String clientId, long incarnation, Message message, int qos, boolean retain);

    /**
     * A stored outbound entry was sent under {@code packetId} (QoS 2, so that a resend after a
     * restart uses the same id), or its PUBREC arrived ({@code released}).
     */
    void updateOutbound(String clientId, long incarnation, Message message, int qos, boolean retain,
                        int packetId, boolean released);

    /** The entry is done (acknowledged, dropped or expired); its message loses a reference. */
    void removeOutbound(String clientId, long messageId);

    // ---- inbound QoS 2 ----

    void putInbound(String clientId, int packetId, Message message);

    void removeInbound(String clientId, int packetId);

    // ---- durability ----

    /**
     * Makes the writes {@code writes} does on this thread reach the store together or not at
     * all: a crash never leaves half of them.
     */
    default <T> T atomically(java.util.function.Supplier<T> writes) {
        return writes.get();
    }

    /**
     * A commit covering every write this thread made so far; {@link Commit#DONE} when nothing
     * needs waiting for (persistence off, or a durability mode whose acks do not wait).
     */
    Commit commit();

    /**
     * Reads everything back. Call once, before the first write.
     *
     * @throws StoreException if the store cannot be read or a record does not decode
     */
    StoreContents load() throws StoreException;

    /** Reports writes to {@code observer} from now on; a store that writes nothing never calls it. */
    default void observe(StoreObserver observer) {
    }

    /** Writes what is pending, makes it durable and closes. */
    @Override
    void close();
}
