package io.midge.core.route;

import io.midge.core.message.Message;
import io.midge.core.store.BrokerStore;

import java.util.function.Consumer;

/**
 * Retained messages kept in memory for matching and written through to the persistent store,
 * from which {@link #restore} puts them back at start-up.
 */
public final class DurableRetainedStore implements RetainedStore {

    private final MemoryRetainedStore memory = new MemoryRetainedStore();
    private final BrokerStore store;

    public DurableRetainedStore(BrokerStore store) {
        this.store = store;
    }

    /** A retained message read back from the store: indexed, not written again. */
    public void restore(Message message) {
        memory.put(message);
    }

    @Override
    public void put(Message message) {
        if (message.payload().length == 0) {
            remove(message.topic());
            return;
        }
        Message retained = message.withRetain(true);
        memory.put(retained);
        if (isKept(retained.topic())) {
            store.putRetained(retained);
        }
    }

    @Override
    public void remove(String topic) {
        memory.remove(topic);
        if (isKept(topic)) {
            store.removeRetained(topic);
        }
    }

    /** $SYS values are the broker's own, worked out afresh after a start; as in mosquitto, they are not kept. */
    private static boolean isKept(String topic) {
        return !topic.startsWith("$SYS/");
    }

    @Override
    public void forEachMatching(String filter, Consumer<Message> action) {
        memory.forEachMatching(filter, action);
    }

    @Override
    public int size() {
        return memory.size();
    }

    @Override
    public long totalPayloadBytes() {
        return memory.totalPayloadBytes();
    }
}
