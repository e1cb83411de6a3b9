package io.midge.core.topic;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Open-addressing hash map for the subscription trie: changed by one writer at a time (the
 * caller serializes writers) and read by any number of threads without locks.
 *
 * <p>Why not {@code ConcurrentHashMap}: the publish path looks a topic level up by a range of
 * the topic string, without creating the substring, and visits a node's subscribers without
 * allocating an iterator. Both are possible here because the probing is ours.
 *
 * <p>Why it is safe for readers: entries are immutable and published through an
 * {@link AtomicReferenceArray}, so a reader sees each entry fully built. The writer never
 * empties a slot of a table readers can see: removal leaves a tombstone so probe chains stay
 * intact, and tombstones are dropped by building a fresh table and publishing it whole.
 * Readers therefore see each slot either before or after a change, which is all the weak
 * consistency a concurrent match asks for.
 *
 * @param <K> key type; compared with {@code equals} and {@code hashCode}
 * @param <V> value type
 */
final class ConcurrentReadTable<K, V> {

    /** Receives the entries of {@link #forEach}; {@code context} spares callers a capturing lambda. */
    @FunctionalInterface
    interface EntryVisitor<C, K, V> {
        void visit(C context, K key, V value);
    }

    private static final int MIN_CAPACITY = 2;
    private static final Entry<?, ?> TOMBSTONE = new Entry<>(null, 0, null);

    private volatile AtomicReferenceArray<Entry<K, V>> slots = new AtomicReferenceArray<>(MIN_CAPACITY);
    // Writer-only counts. Tombstones count as occupied so that a probe always reaches a null.
    private int size;
    private int occupied;

    /** The value for {@code key}, or null. Safe from any thread. */
    V get(Object key) {
        int hash = key.hashCode();
        AtomicReferenceArray<Entry<K, V>> table = slots;
        int mask = table.length() - 1;
        for (int i = firstProbe(hash, mask); ; i = (i + 1) & mask) {
            Entry<K, V> entry = table.get(i);
            if (entry == null) {
                return null;
            }
            if (entry.hash == hash && key.equals(entry.key)) {
                return entry.value;
            }
        }
    }

    /**
     * For String keys: the value for the key equal to {@code text.substring(from, to)}, without
     * creating that substring. Safe from any thread.
     *
     * @param hash the {@link String#hashCode} of the range
     */
    V getByRange(String text, int from, int to, int hash) {
        int length = to - from;
        AtomicReferenceArray<Entry<K, V>> table = slots;
        int mask = table.length() - 1;
        for (int i = firstProbe(hash, mask); ; i = (i + 1) & mask) {
            Entry<K, V> entry = table.get(i);
            if (entry == null) {
                return null;
            }
            if (entry.hash == hash && entry.key instanceof String key
                    && key.length() == length && key.regionMatches(0, text, from, length)) {
                return entry.value;
            }
        }
    }

    /**
     * Calls {@code visitor} for each entry, without locking or allocating. Safe from any thread;
     * weakly consistent under concurrent writes (an entry removed and re-added meanwhile may be
     * seen twice or not at all).
     */
    <C> void forEach(C context, EntryVisitor<? super C, ? super K, ? super V> visitor) {
        AtomicReferenceArray<Entry<K, V>> table = slots;
        for (int i = 0; i < table.length(); i++) {
            Entry<K, V> entry = table.get(i);
            if (entry != null && entry != TOMBSTONE) {
                visitor.visit(context, entry.key, entry.value);
            }
        }
    }

    /** Adds or replaces; returns the previous value or null. Writer only. */
    V put(K key, V value) {
        int hash = key.hashCode();
        int index = indexOf(key, hash);
        if (index >= 0) {
            AtomicReferenceArray<Entry<K, V>> table = slots;
            V previous = table.get(index).value;
            table.set(index, new Entry<>(key, hash, value));
            return previous;
        }
        if (occupied + 1 > maxLoad(slots.length())) {
            rebuild(capacityFor(size + 1));
        }
        insertAbsent(slots, new Entry<>(key, hash, value));
        size++;
        return null;
    }

    /** Removes; returns the removed value or null. Writer only. */
    V remove(Object key) {
        int index = indexOf(key, key.hashCode());
        if (index < 0) {
            return null;
        }
        AtomicReferenceArray<Entry<K, V>> table = slots;
        V previous = table.get(index).value;
        table.set(index, tombstone());
        size--;
        if (table.length() > MIN_CAPACITY && size < table.length() / 8) {
            rebuild(capacityFor(size));
        }
        return previous;
    }

    /** Writer only. */
    int size() {
        return size;
    }

    /** Writer only. */
    boolean isEmpty() {
        return size == 0;
    }

    private int indexOf(Object key, int hash) {
        AtomicReferenceArray<Entry<K, V>> table = slots;
        int mask = table.length() - 1;
        for (int i = firstProbe(hash, mask); ; i = (i + 1) & mask) {
            Entry<K, V> entry = table.get(i);
            if (entry == null) {
                return -1;
            }
            if (entry.hash == hash && key.equals(entry.key)) {
                return i;
            }
        }
    }

    /** Puts an entry whose key is known to be absent into the first free slot of its probe chain. */
    private void insertAbsent(AtomicReferenceArray<Entry<K, V>> table, Entry<K, V> entry) {
        int mask = table.length() - 1;
        for (int i = firstProbe(entry.hash, mask); ; i = (i + 1) & mask) {
            Entry<K, V> current = table.get(i);
            if (current == null || current == TOMBSTONE) {
                if (current == null) {
                    occupied++;
                }
                table.set(i, entry);
                return;
            }
        }
    }

    /** Copies the live entries into a fresh table, dropping tombstones, and publishes it. */
    private void rebuild(int capacity) {
        AtomicReferenceArray<Entry<K, V>> old = slots;
        AtomicReferenceArray<Entry<K, V>> fresh = new AtomicReferenceArray<>(capacity);
        occupied = 0;
        for (int i = 0; i < old.length(); i++) {
            Entry<K, V> entry = old.get(i);
            if (entry != null && entry != TOMBSTONE) {
                insertAbsent(fresh, entry);
            }
        }
        slots = fresh;
    }

    /** Keeps the load at most half after a rebuild, so neither growth nor shrinking thrashes. */
    private static int capacityFor(int entries) {
        int capacity = MIN_CAPACITY;
        while (capacity < entries * 2) {
            capacity <<= 1;
        }
        return capacity;
    }

    private static int maxLoad(int capacity) {
        return capacity * 3 / 4;
    }

    private static int firstProbe(int hash, int mask) {
        // The mask keeps only low bits; fold the high bits in so they still separate keys.
        return (hash ^ (hash >>> 16)) & mask;
    }

    @SuppressWarnings("unchecked")
    private Entry<K, V> tombstone() {
        return (Entry<K, V>) TOMBSTONE;
    }

    private record Entry<K, V>(K key, int hash, V value) {
    }
}
