package io.midge.core.protocol;

import io.midge.core.packet.PacketType;
import io.midge.core.store.Commit;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayDeque;

/**
 * PUBACK, PUBREC and PUBCOMP held back until what they acknowledge is committed, and sent in the
 * order their packets arrived: an ack never overtakes an earlier one, even if its own commit
 * completed first. Empty (and allocating nothing) while every commit is done on arrival, the
 * in-memory case; the caller then writes its ack at once.
 */
final class OrderedAcks {

    /** Writes an ack that waited; on the connection's loop. */
    interface Sink {
        void sendAck(PacketType type, int packetId);
    }

    private record Pending(Commit commit, PacketType type, int packetId) {}

    private final EventExecutor loop;
    private final Sink sink;
    private final Runnable sendCommitted = this::sendCommitted;
    /** Null when empty, as idle connections should carry nothing. */
    private ArrayDeque<Pending> pending;

    OrderedAcks(EventExecutor loop, Sink sink) {
        this.loop = loop;
        this.sink = sink;
    }

    /** Whether an ack whose commit is done may go out at once, overtaking nothing. */
    boolean isEmpty() {
        return pending == null;
    }

    void add(Commit commit, PacketType type, int packetId) {
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
        pending.add(new Pending(commit, type, packetId));
        if (pending.size() == 1) {
            commit.whenDone(loop, sendCommitted);
        }
    }

    /** The connection is gone: nothing held is sent. */
    void discard() {
        pending = null;
    }

    /** Only the head waits on its commit: the ones behind it need not be watched until they are at the front. */
    private void sendCommitted() {
        while (pending != null) {
            Pending head = pending.peek();
            if (head == null) {
                pending = null;
            } else if (head.commit().isDone()) {
                pending.poll();
                sink.sendAck(head.type(), head.packetId());
            } else {
                head.commit().whenDone(loop, sendCommitted);
                return;
            }
        }
    }
}
