package io.midge.core.session;

import io.midge.core.message.Message;

import java.util.ArrayDeque;

/** Messages waiting for room in the in-flight window (or for the client to come back), bounded by count and bytes. */
final class OutboundQueue {

    record Queued(Message message, int qos, boolean retain) {}

    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private long bytes;

    /** @return false if the limits leave no room, and the message was not queued. */
    boolean offer(Message message, int qos, boolean retain, SessionLimits limits) {
        if (limits.maxQueuedMessages() > 0 && queue.size() >= limits.maxQueuedMessages()) {
            return false;
        }
        if (limits.maxQueuedBytes() > 0 && bytes + message.payload().length > limits.maxQueuedBytes()) {
            return false;
        }
        queue.addLast(new Queued(message, qos, retain));
        bytes += message.payload().length;
        return true;
    }

    Queued poll() {
        Queued next = queue.pollFirst();
        if (next != null) {
            bytes -= next.message().payload().length;
        }
        return next;
    }

    Queued peek() {
        return queue.peekFirst();
    }

    int size() {
        return queue.size();
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        queue.clear();
        bytes = 0;
    }

    /** Drops QoS 0 messages, which a session keeps only while its client is connected (unless configured otherwise). */
    void removeQos0() {
        queue.removeIf(q -> {
            if (q.qos() == 0) {
                bytes -= q.message().payload().length;
                return true;
            }
            return false;
        });
    }
}
