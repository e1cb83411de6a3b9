package io.midge.core.session;

import io.midge.core.message.Message;

import java.util.ArrayDeque;

/** Messages waiting for room in the in-flight window (or for the client to come back), bounded by count and bytes. */
final class OutboundQueue {

    record Queued(Message message, int qos, boolean retain) {}

    /** Created on first use and dropped when drained, so a burst's large array is not kept for good. */
    private ArrayDeque<Queued> queue;
    private long bytes;

    /** @return false if the limits leave no room, and the message was not queued. */
    boolean offer(Message message, int qos, boolean retain, SessionLimits limits) {
        if (limits.maxQueuedMessages() > 0 && size() >= limits.maxQueuedMessages()) {
            return false;
        }
        if (limits.maxQueuedBytes() > 0 && bytes + message.payload().length > limits.maxQueuedBytes()) {
            return false;
        }
        if (queue == null) {
            queue = new ArrayDeque<>();
        }
        queue.addLast(new Queued(message, qos, retain));
        bytes += message.payload().length;
        return true;
    }

    Queued poll() {
        if (queue == null) {
            return null;
        }
        Queued next = queue.pollFirst();
        if (next != null) {
            bytes -= next.message().payload().length;
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
        queue = null;
        bytes = 0;
    }

    /** Drops QoS 0 messages, which a session keeps only while its client is connected (unless configured otherwise). */
    void removeQos0() {
        if (queue == null) {
            return;
        }
        queue.removeIf(q -> {
            if (q.qos() == 0) {
                bytes -= q.message().payload().length;
                return true;
            }
            return false;
        });
    }
}
