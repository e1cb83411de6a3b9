package io.midge.core.session;

import io.midge.core.message.Message;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Outbound QoS 1 and 2 messages sent to the client and not yet completed, in sending order
 * (the order they are resent in after a reconnect), and the packet identifiers they hold.
 */
final class InflightWindow {

    static final int MAX_PACKET_ID = 65_535;

    enum State { AWAIT_PUBACK, AWAIT_PUBREC, AWAIT_PUBCOMP }

    static final class Entry {
        final int packetId;
        final Message message;
        final int qos;
        final boolean retain;
        /** Whether the persistent store holds an entry for it. */
        final boolean stored;
        State state;

        Entry(int packetId, Message message, int qos, boolean retain, boolean stored) {
            this.packetId = packetId;
            this.message = message;
            this.qos = qos;
            this.retain = retain;
            this.stored = stored;
            this.state = qos == 1 ? State.AWAIT_PUBACK : State.AWAIT_PUBREC;
        }
    }

    /** Created on first use and dropped when empty: most sessions, most of the time, have nothing in flight. */
    private Map<Integer, Entry> entries;
    /** Identifiers a bridge holds for its own SUBSCRIBEs and notifications; null when none, as almost always. */
    private Set<Integer> reserved;
    private int lastPacketId;
    /** Payload bytes of the messages in flight, for max_inflight_bytes. */
    private long payloadBytes;
    private final MemoryBudget memory;

    InflightWindow(MemoryBudget memory) {
        this.memory = memory;
    }

    int size() {
        return entries == null ? 0 : entries.size();
    }

    long payloadBytes() {
        return payloadBytes;
    }

    Entry get(int packetId) {
        return entries == null ? null : entries.get(packetId);
    }

    Entry remove(int packetId) {
        if (entries == null) {
            return null;
        }
        Entry removed = entries.remove(packetId);
        if (removed != null) {
            released(removed);
        }
        if (entries.isEmpty()) {
            entries = null;
        }
        return removed;
    }

    Collection<Entry> inSendingOrder() {
        return entries == null ? List.of() : entries.values();
    }

    void removeIf(Predicate<Entry> condition) {
        if (entries != null && entries.values().removeIf(entry -> {
            if (condition.test(entry)) {
                released(entry);
                return true;
            }
            return false;
        }) && entries.isEmpty()) {
            entries = null;
        }
    }

    void clear() {
        if (entries != null) {
            entries.values().forEach(this::released);
        }
        entries = null;
        reserved = null;
    }

    private void held(Entry entry) {
        entries.put(entry.packetId, entry);
        payloadBytes += entry.message.payload().length;
        memory.charge(entry.message);
    }

    private void released(Entry entry) {
        payloadBytes -= entry.message.payload().length;
        memory.release(entry.message);
    }

    /** Adds a message under a fresh packet identifier; the caller checks capacity first. */
    Entry add(Message message, int qos, boolean retain, boolean stored) {
        if (entries == null) {
            entries = new LinkedHashMap<>();
        }
        Entry entry = new Entry(nextFreePacketId(), message, qos, retain, stored);
        held(entry);
        return entry;
    }

    /** A QoS 2 delivery recovered from the store, under the packet identifier it was sent with. */
    void restore(int packetId, Message message, boolean retain, boolean released) {
        if (entries == null) {
            entries = new LinkedHashMap<>();
        }
        Entry entry = new Entry(packetId, message, 2, retain, true);
        if (released) {
            entry.state = State.AWAIT_PUBCOMP;
        }
        held(entry);
        lastPacketId = Math.max(lastPacketId, packetId);
    }

    /** A packet identifier no message holds, kept from messages until {@link #release}d. */
    int reserve() {
        if (reserved == null) {
            reserved = new HashSet<>();
        }
        int packetId = nextFreePacketId();
        reserved.add(packetId);
        return packetId;
    }

    void release(int packetId) {
        if (reserved != null && reserved.remove(packetId) && reserved.isEmpty()) {
            reserved = null;
        }
    }

    private int nextFreePacketId() {
        if (size() + (reserved == null ? 0 : reserved.size()) >= MAX_PACKET_ID) {
            throw new IllegalStateException("all packet identifiers in use");
        }
        do {
            lastPacketId = lastPacketId == MAX_PACKET_ID ? 1 : lastPacketId + 1;
        } while (inUse(lastPacketId));
        return lastPacketId;
    }

    private boolean inUse(int packetId) {
        return entries != null && entries.containsKey(packetId) || reserved != null && reserved.contains(packetId);
    }
}
