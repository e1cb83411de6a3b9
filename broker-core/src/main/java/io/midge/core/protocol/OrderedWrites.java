package io.midge.core.protocol;

import io.midge.core.packet.MqttPacket;
import io.midge.core.store.Commit;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayDeque;

/**
 * Packets held back until what they depend on is committed, and written in the order they were
 * made: a PUBACK or PUBREC waits for the message it acknowledges, a CONNACK or SUBACK for the
 * session or subscription it confirms, a QoS 2 PUBLISH for its packet identifier; and nothing
 * overtakes a packet that waits (the retained messages after a SUBACK, later acks). Empty, and
 * allocating nothing, while every commit is done when its packet is made (the in-memory case):
 * the caller then writes at once.
 */
final class OrderedWrites {

    /** Writes a packet that waited; on the connection's loop. */
    interface Sink {
        void send(MqttPacket packet);
    }

    private record Pending(Commit commit, MqttPacket packet) {}

    private final EventExecutor loop;
    private final Sink sink;
    private final Runnable sendCommitted = this::sendCommitted;
    /** Null when empty, as idle connections should carry nothing. */
    private ArrayDeque<Pending> pending;

    OrderedWrites(EventExecutor loop, Sink sink) {
        this.loop = loop;
        this.sink = sink;
    }

    /** Whether a packet whose commit is done may go out at once, overtaking nothing. */
    boolean isEmpty() {
        return pending == null;
    }

    void add(Commit commit, MqttPacket packet) {
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
        pending.add(new Pending(commit, packet));
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
                sink.send(head.packet());
            } else {
                head.commit().whenDone(loop, sendCommitted);
                return;
            }
        }
    }
}
