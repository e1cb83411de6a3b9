package io.midge.core.topic;

import java.util.Arrays;
import java.util.Objects;

/**
 * Collects the result of a {@link SubscriptionTrie#match} as distinct subscribers, each with the
 * {@linkplain SubscriptionOptions options} of its matching filter of highest QoS (MQTT 3.1.1
 * section 3.3.5 lets the server deliver one copy for overlapping subscriptions). Among filters of
 * equal QoS the first matched keeps its options: the winner's options are applied whole, never
 * mixed with another filter's.
 *
 * <p>Meant to be kept per thread and {@linkplain #clear() cleared} before each match: once its
 * arrays have grown to the largest fan-out seen, it no longer allocates. Not thread-safe.
 *
 * @param <S> subscriber key, compared with {@code equals} and {@code hashCode}
 */
public final class Matches<S> implements MatchVisitor<S> {

    private static final int INITIAL_CAPACITY = 8;

    private Object[] subscribers = new Object[INITIAL_CAPACITY];
    private int[] options = new int[INITIAL_CAPACITY];
    private int size;

    // Open-addressing index from subscriber to its position in the arrays above. A slot is in
    // use only while its stamp equals the current generation, so clear() is O(size), not
    // O(index capacity), after one large fan-out.
    private int[] slotPosition = new int[INITIAL_CAPACITY * 2];
    private int[] slotGeneration = new int[INITIAL_CAPACITY * 2];
    private int generation = 1;

    /** Records a match, keeping the options of the subscriber's filter of highest QoS. */
    @Override
    public void accept(S subscriber, int options) {
        int mask = slotPosition.length - 1;
        for (int slot = firstProbe(subscriber, mask); ; slot = (slot + 1) & mask) {
            if (slotGeneration[slot] != generation) {
                append(slot, subscriber, options);
                return;
            }
            int position = slotPosition[slot];
            Object known = subscribers[position];
            if (known == subscriber || known.equals(subscriber)) {
                if (SubscriptionOptions.qos(options) > SubscriptionOptions.qos(this.options[position])) {
                    this.options[position] = options;
                }
                return;
            }
        }
    }

    /** Forgets all matches, keeping the capacity. */
    public void clear() {
        Arrays.fill(subscribers, 0, size, null); // do not keep closed sessions reachable
        size = 0;
        generation++;
        if (generation == 0) { // wrapped: stale stamps could look current again
            Arrays.fill(slotGeneration, 0);
            generation = 1;
        }
    }

    /** Number of distinct subscribers matched. */
    public int size() {
        return size;
    }

    /** The {@code i}-th distinct subscriber, in order of first match. */
    @SuppressWarnings("unchecked")
    public S subscriber(int i) {
        Objects.checkIndex(i, size);
        return (S) subscribers[i];
    }

    /** The options of the {@code i}-th subscriber's winning filter (see the class comment). */
    public int options(int i) {
        Objects.checkIndex(i, size);
        return options[i];
    }

    /** The highest QoS among the {@code i}-th subscriber's matching filters. */
    public int qos(int i) {
        return SubscriptionOptions.qos(options(i));
    }

    private void append(int slot, S subscriber, int optionsValue) {
        if (size == subscribers.length) {
            subscribers = Arrays.copyOf(subscribers, size * 2);
            options = Arrays.copyOf(options, size * 2);
        }
        subscribers[size] = subscriber;
        options[size] = optionsValue;
        slotPosition[slot] = size;
        slotGeneration[slot] = generation;
        size++;
        if (size * 2 > slotPosition.length) {
            growIndex();
        }
    }

    private void growIndex() {
        int capacity = slotPosition.length * 2;
        slotPosition = new int[capacity];
        slotGeneration = new int[capacity];
        int mask = capacity - 1;
        for (int position = 0; position < size; position++) {
            int slot = firstProbe(subscribers[position], mask);
            while (slotGeneration[slot] == generation) {
                slot = (slot + 1) & mask;
            }
            slotPosition[slot] = position;
            slotGeneration[slot] = generation;
        }
    }

    private static int firstProbe(Object subscriber, int mask) {
        int hash = subscriber.hashCode();
        return (hash ^ (hash >>> 16)) & mask;
    }
}
