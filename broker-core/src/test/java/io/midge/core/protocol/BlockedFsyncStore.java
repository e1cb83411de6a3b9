package io.midge.core.protocol;

import io.midge.core.message.Message;
import io.midge.core.store.BrokerStore;
import io.midge.core.store.Commit;
import io.midge.core.store.StoreContents;

import java.util.ArrayList;
import java.util.List;

/**
 * A store whose fsync the test holds: writes are recorded as they are made, and every commit
 * taken while blocked completes only when the test lets the disk "finish".
 */
final class BlockedFsyncStore implements BrokerStore {

    final List<String> writes = new ArrayList<>();
    private boolean blocked;
    private ControlledCommit pending;

    void block() {
        blocked = true;
    }

    /** The fsync completes: everything written so far is safe. */
    void sync() {
        blocked = false;
        if (pending != null) {
            ControlledCommit done = pending;
            pending = null;
            done.complete();
        }
    }

    @Override public boolean isPersistent() { return true; }

    @Override
    public Commit commit() {
        if (!blocked) {
            return Commit.DONE;
        }
        if (pending == null) {
            pending = new ControlledCommit();
        }
        return pending;
    }

    @Override public void putRetained(Message message) { writes.add("retained " + message.topic()); }
    @Override public void removeRetained(String topic) { writes.add("unretained " + topic); }
    @Override public void putSession(String clientId, long incarnation, long disconnectedAtMillis, Message will, long expiryMillis) {
        writes.add("session " + clientId + (disconnectedAtMillis == 0 ? " connected" : " away"));
    }
    @Override public void removeSession(String clientId, long[] heldMessageIds) { writes.add("end " + clientId); }
    @Override public void putSubscription(String clientId, String filter, int qos) {
        writes.add("subscription " + clientId + " " + filter);
    }
    @Override public void removeSubscription(String clientId, String filter) { writes.add("unsubscribed " + clientId); }
    @Override public void putOutbound(String clientId, long incarnation, Message message, int qos, boolean retain) {
        writes.add("outbound " + clientId + " " + message.topic());
    }
    @Override public void updateOutbound(String clientId, long incarnation, Message message, int qos, boolean retain,
                                         int packetId, boolean released) {
        writes.add("sent " + clientId + " " + message.topic() + " as " + packetId + (released ? " released" : ""));
    }
    @Override public void removeOutbound(String clientId, long messageId) { writes.add("done " + clientId); }
    @Override public void putInbound(String clientId, int packetId, Message message) {
        writes.add("inbound " + clientId + " " + packetId);
    }
    @Override public void removeInbound(String clientId, int packetId) { writes.add("released " + clientId + " " + packetId); }
    @Override public StoreContents load() { return new StoreContents(List.of(), List.of(), 0); }
    @Override public void close() { }
}
