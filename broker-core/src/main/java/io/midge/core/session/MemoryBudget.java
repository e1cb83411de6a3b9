package io.midge.core.session;

import io.midge.core.message.Message;

import io.midge.core.route.RetainedStore;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * mosquitto's {@code memory_limit}: how much the broker may hold for its clients before it
 * refuses more. mosquitto counts its own allocations; a JVM's heap in use counts garbage too and
 * would refuse at random, so Midge counts what clients can make it hold: messages queued and in
 * flight to sessions (charged here as they come and go), plus what {@code held} reports of the
 * rest (retained messages, subscriptions, connections), each at the cost the overload bench
 * measured. The JVM's fixed baseline is not counted; {@code -Xmx} caps that.
 *
 * <p>Charged from every event loop, read on every PUBLISH: a {@link LongAdder} keeps the loops
 * off one contended cache line.
 */
public final class MemoryBudget {

    /** No limit: nothing is counted, so an unlimited broker pays nothing for this. */
    public static final MemoryBudget UNLIMITED = new MemoryBudget(0, () -> 0);

    // The sizes below are what bench/footprint.py measured (heap after a full GC, 100,000 of each):
    // 136 bytes a queued message of 16 payload bytes on a 7-character topic, 279 a retained
    // message of 16 bytes on a 10-character topic, 350 a subscription to a 12-character filter.

    /** Heap a queued or in-flight message costs besides its payload and topic: the message, its queue entry, the references. */
    static final int MESSAGE_OVERHEAD = 120;
    /** Heap a retained message costs besides its payload: its trie node, map entry and topic. */
    static final int RETAINED_OVERHEAD = 264;
    /** Heap a subscription costs: its trie entry, the session's map entry and the filter string. */
    static final int SUBSCRIPTION_OVERHEAD = 350;
    /** Heap an idle connection costs: its channel, pipeline, protocol state and session (the storm bench's 1.76 KiB). */
    static final int CONNECTION_OVERHEAD = 2048;

    private final long limitBytes;
    private final LongAdder messageBytes = new LongAdder();
    private final LongSupplier otherBytes;
    /** Set when the limit is reached, cleared when enough is freed; a race between loops only moves the switch by one message. */
    private volatile boolean refusing;

    /**
     * @param limitBytes the limit; 0 for none
     * @param otherBytes what retained messages, subscriptions and connections cost now; called on any thread, must be cheap
     */
    MemoryBudget(long limitBytes, LongSupplier otherBytes) {
        this.limitBytes = limitBytes;
        this.otherBytes = otherBytes;
    }

    /**
     * The broker's budget: what sessions queue is charged as it changes; retained messages,
     * subscriptions and connections are read off the counts their owners keep.
     *
     * @param limitBytes    memory_limit; 0 for none, which counts nothing
     * @param retained      the retained messages
     * @param subscriptions how many subscriptions there are now
     * @param connections   how many clients are connected now
     */
    public static MemoryBudget of(long limitBytes, RetainedStore retained, IntSupplier subscriptions, LongSupplier connections) {
        if (limitBytes == 0) {
            return UNLIMITED;
        }
        return new MemoryBudget(limitBytes, () -> retained.totalPayloadBytes()
                + (long) retained.size() * RETAINED_OVERHEAD
                + (long) subscriptions.getAsInt() * SUBSCRIPTION_OVERHEAD
                + connections.getAsLong() * CONNECTION_OVERHEAD);
    }

    /**
     * Whether the broker holds as much as it may: new messages and connections are refused. Once
     * reached, the limit holds until a tenth of it is freed: a publisher disconnected at the limit
     * frees its connection's share, and letting the next message in on that alone would make the
     * broker flap between refusing and accepting at every message.
     */
    public boolean exhausted() {
        if (limitBytes == 0) {
            return false;
        }
        long held = heldBytes();
        if (refusing) {
            if (held < limitBytes - limitBytes / 10) {
                refusing = false;
            }
        } else if (held >= limitBytes) {
            refusing = true;
        }
        return refusing;
    }

    /**
     * Whether a message may join a queue: not once the limit is reached, nor when it would reach
     * it, so that the limit is met here, where the client it piles up for can be told, rather
     * than by the next publisher.
     */
    boolean admits(Message message) {
        return limitBytes == 0 || !exhausted() && heldBytes() + cost(message) < limitBytes;
    }

    /** memory_limit in bytes; 0 for none. */
    public long limitBytes() {
        return limitBytes;
    }

    /** What the broker holds for its clients by this count; 0 when there is no limit, as nothing is counted then. */
    public long heldBytes() {
        return limitBytes == 0 ? 0 : messageBytes.sum() + otherBytes.getAsLong();
    }

    /** A message joined a queue or an in-flight window. */
    void charge(Message message) {
        if (limitBytes > 0) {
            messageBytes.add(cost(message));
        }
    }

    /** A message left a queue or an in-flight window. */
    void release(Message message) {
        if (limitBytes > 0) {
            messageBytes.add(-cost(message));
        }
    }

    /** Deterministic, so that a release takes back exactly what the charge added. */
    static long cost(Message message) {
        return message.payload().length + 2L * message.topic().length() + MESSAGE_OVERHEAD;
    }
}
