package io.midge.core.store;

import io.midge.core.message.Message;

import java.util.List;

/** {@code persistence false}: everything lives in the broker's own memory and ends with it. */
final class NoStore implements BrokerStore {

    @Override public boolean isPersistent() { return false; }
    @Override public void putRetained(Message message) { }
    @Override public void removeRetained(String topic) { }
    @Override public void putSession(String clientId, long incarnation, long disconnectedAtMillis, Message will, long expiryMillis) { }
    @Override public void removeSession(String clientId, long[] heldMessageIds) { }
    @Override public void putSubscription(String clientId, String filter, int qos) { }
    @Override public void removeSubscription(String clientId, String filter) { }
    @Override public void putOutbound(String clientId, long incarnation, Message message, int qos, boolean retain) { }
    @Override public void updateOutbound(String clientId, long incarnation, Message message, int qos, boolean retain,
                                         int packetId, boolean released) { }
    @Override public void removeOutbound(String clientId, long messageId) { }
    @Override public void putInbound(String clientId, int packetId, Message message) { }
    @Override public void removeInbound(String clientId, int packetId) { }
    @Override public Commit commit() { return Commit.DONE; }
    @Override public StoreContents load() { return new StoreContents(List.of(), List.of(), 0); }
    @Override public void close() { }
}
