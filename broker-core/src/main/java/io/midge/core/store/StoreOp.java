package io.midge.core.store;

import io.midge.core.message.Message;

import java.util.List;

/** A write waiting for the store's writer thread, in the order it was made. */
sealed interface StoreOp {

    record PutRetained(Message message) implements StoreOp {}

    record RemoveRetained(String topic) implements StoreOp {}

    record PutSession(String clientId, long incarnation, long disconnectedAtMillis, Message will, long expiryMillis)
            implements StoreOp {}

    record RemoveSession(String clientId, long[] heldMessageIds) implements StoreOp {}

    record PutSubscription(String clientId, String filter, int options) implements StoreOp {}

    record RemoveSubscription(String clientId, String filter) implements StoreOp {}

    /** {@code newReference}: a fresh entry (the message gains a reference), else an update of one. */
    record PutOutbound(String clientId, long incarnation, Message message, int qos, boolean retain,
                       int packetId, boolean released, boolean newReference) implements StoreOp {}

    record RemoveOutbound(String clientId, long messageId) implements StoreOp {}

    record PutInbound(String clientId, int packetId, Message message) implements StoreOp {}

    record RemoveInbound(String clientId, int packetId) implements StoreOp {}

    /** Writes made with {@link BrokerStore#atomically}: applied in one batch. */
    record Group(List<StoreOp> ops) implements StoreOp {}

    /** Not a write: marks the point a {@link StoreCommit} waits for. */
    record CommitMark(StoreCommit commit) implements StoreOp {}
}
