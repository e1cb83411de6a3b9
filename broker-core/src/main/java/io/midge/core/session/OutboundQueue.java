package io.midge.core.session;

import io.midge.core.message.Message;

import java.util.ArrayDeque;

/** Messages waiting for room in the in-flight window (or for the client to come back), bounded by count and bytes. */
final class OutboundQueue {

    /** @param stored whether the persistent store holds an entry for it, to be removed when it is done */
    record Queued(Message message, int qos, boolean retain, boolean stored) {}

    /** Created on first use and dropped when drained, so a burst's large array is not kept for good. */
    private ArrayDeque<Queued> queue;
    private long bytes;
    private final MemoryBudget memory;

    OutboundQueue(MemoryBudget memory) {
        this.memory = memory;
    }

    /** @return false if the limits leave no room, and the message was not queued. */
    boolean offer(Message message, int qos, boolean retain, boolean stored, SessionLimits limits) {
        if (limits.maxQueuedMessages() > 0 && size() >= limits.maxQueuedMessages()) {
            return false;
        }
        if (limits.maxQueuedBytes() > 0 && bytes + message.payload().length > limits.maxQueuedBytes()) {
            return false;
        }
        restore(new Queued(message, qos, retain, stored));
        return true;
    }

    /** Adds a message recovered from the store, whatever the limits: it was accepted before the restart. */
    void restore(Queued queued) {
        if (queue == null) {
            queue = new ArrayDeque<>();
        }
        queue.addLast(queued);
        bytes += queued.message().payload().length;
        memory.charge(queued.message());
    }

    /** The ids of the stored messages in the queue. */
    void collectStored(java.util.function.LongConsumer ids) {
        if (queue != null) {
            for (Queued queued : queue) {
                if (queued.stored()) {
                    ids.accept(queued.message().id());
                }
            }
        }
    }

    Queued poll() {
        if (queue == null) {
            return null;
        }
        Queued next = queue.pollFirst();
        if (next != null) {
            bytes -= next.message().payload().length;
            memory.release(next.message());
        }
        if (queue.isEmpty()) {
            queue = null;
        }
        return next;
    }

    Queued peek() {
        return queue == null ? null : queue.peekFirst();
    }

    int size() {
        return queue == null ? 0 : queue.size();
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        if (queue != null) {
            queue.forEach(q -> memory.release(q.message()));
        }
        queue = null;
        bytes = 0;
    }

    /** Removes the messages {@code condition} holds for (it may act on each as it decides). */
    void removeIf(java.util.function.Predicate<Queued> condition) {
        if (queue == null) {
            return;
        }
        queue.removeIf(q -> {
            if (condition.test(q)) {
                bytes -= q.message().payload().length;
                memory.release(q.message());
                return true;
            }
            return false;
        });
        if (queue.isEmpty()) {
            queue = null;
        }
    }

    /** Drops QoS 0 messages, which a session keeps only while its client is connected (unless configured otherwise). */
    void removeQos0() {
        if (queue == null) {
            return;
        }
        queue.removeIf(q -> {
            if (q.qos() == 0) {
                bytes -= q.message().payload().length;
                memory.release(q.message());
                return true;
            }
            return false;
        });
    }
}
