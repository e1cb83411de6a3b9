package io.midge.core.topic;

import java.util.Objects;

/**
 * The subscription index: which subscribers' filters match a topic. Read on every publish.
 *
 * <p>Threading: {@link #match} takes no lock and never blocks, so any number of event-loop
 * threads may publish at once. {@link #subscribe} and {@link #unsubscribe} serialize on one
 * lock; they are rare next to publishes and short (one step per filter level). A match running
 * concurrently with a change may or may not see it, and may visit a subscription that is
 * removed and re-added meanwhile twice ({@link Matches} absorbs that).
 *
 * <p>Depth: matching recurses once per filter level, so filters deeper than
 * {@value #MAX_FILTER_LEVELS} levels are refused rather than risk a stack overflow on an event
 * loop. Topic names are not limited: a match never goes deeper than the deepest filter.
 *
 * @param <S> subscriber key, compared with {@code equals} and {@code hashCode}; a class that
 *            does not override them, such as a session, compares by identity
 */
public final class SubscriptionTrie<S> {

    /** The most levels a filter may have; far beyond any real hierarchy. */
    public static final int MAX_FILTER_LEVELS = 1024;

    private final Object writeLock = new Object();
    private final TrieNode<S> root = new TrieNode<>();
    private volatile int subscriptionCount; // written under writeLock

    /**
     * Adds a subscription, or replaces the options of an existing one for the same filter and
     * subscriber.
     *
     * @param filter  a valid topic filter of at most {@value #MAX_FILTER_LEVELS} levels
     * @param options the granted QoS and options ({@link SubscriptionOptions}); a plain QoS 0..2
     * @return the previous options, or -1 if the subscription is new
     * @throws IllegalArgumentException if the filter or options are invalid, or the filter too deep
     */
    public int subscribe(String filter, S subscriber, int options) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!SubscriptionOptions.isValid(options)) {
            throw new IllegalArgumentException("subscription options " + options);
        }
        if (!Topics.isValidTopicFilter(filter)) {
            throw new IllegalArgumentException("invalid topic filter: " + filter);
        }
        String[] levels = Topics.levels(filter);
        if (levels.length > MAX_FILTER_LEVELS) {
            throw new IllegalArgumentException("topic filter has more than " + MAX_FILTER_LEVELS + " levels");
        }
        synchronized (writeLock) {
            TrieNode<S> node = root;
            for (String level : levels) {
                node = node.childOrCreate(level);
            }
            int previous = node.putSubscriber(subscriber, options);
            if (previous < 0) {
                subscriptionCount++;
            }
            return previous;
        }
    }

    /**
     * Removes a subscription and any trie nodes left empty by it.
     *
     * @return whether the subscription existed; false for a filter that could not have been
     *         subscribed (invalid or too deep), so UNSUBSCRIBE handling needs no checks of its own
     */
    public boolean unsubscribe(String filter, S subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!Topics.isValidTopicFilter(filter)) {
            return false;
        }
        String[] levels = Topics.levels(filter);
        synchronized (writeLock) {
            @SuppressWarnings("unchecked")
            TrieNode<S>[] path = (TrieNode<S>[]) new TrieNode<?>[levels.length + 1];
            path[0] = root;
            for (int i = 0; i < levels.length; i++) {
                path[i + 1] = path[i].child(levels[i]);
                if (path[i + 1] == null) {
                    return false;
                }
            }
            if (!path[levels.length].removeSubscriber(subscriber)) {
                return false;
            }
            subscriptionCount--;
            for (int depth = levels.length; depth > 0 && path[depth].isEmpty(); depth--) {
                path[depth - 1].removeChild(levels[depth - 1]);
            }
            return true;
        }
    }

    /**
     * Calls {@code visitor} once per (filter, subscriber) pair whose filter matches
     * {@code topic}; pass a {@link Matches} to get distinct subscribers instead. Lock-free and
     * allocation-free. Topics starting with {@code '$'} are not matched by filters starting
     * with a wildcard.
     *
     * @param topic a valid topic name (not checked here: the codec has already done so)
     */
    public void match(String topic, MatchVisitor<S> visitor) {
        matchLevel(root, topic, 0, visitor);
    }

    /** Number of (filter, subscriber) pairs. */
    public int subscriptionCount() {
        return subscriptionCount;
    }

    /** Number of trie nodes including the root; for tests that check pruning. */
    int nodeCount() {
        synchronized (writeLock) {
            return root.countNodes();
        }
    }

    /**
     * Matches the topic level starting at {@code from} against the children of {@code node},
     * whose filters have matched every level before it.
     */
    private void matchLevel(TrieNode<S> node, String topic, int from, MatchVisitor<S> visitor) {
        // The '$' rule only concerns the first level, and from is 0 only there.
        boolean wildcardsApply = from > 0 || !Topics.isReservedTopic(topic);
        if (wildcardsApply) {
            TrieNode<S> multiLevel = node.multiLevelChild();
            if (multiLevel != null) {
                multiLevel.visitSubscribers(visitor);
            }
        }
        int to = from;
        int hash = 0;
        char c;
        while (to < topic.length() && (c = topic.charAt(to)) != Topics.LEVEL_SEPARATOR) {
            hash = 31 * hash + c; // String.hashCode of the level, without the substring
            to++;
        }
        if (wildcardsApply) {
            TrieNode<S> singleLevel = node.singleLevelChild();
            if (singleLevel != null) {
                matchedLevel(singleLevel, topic, to, visitor);
            }
        }
        TrieNode<S> literal = node.literalChild(topic, from, to, hash);
        if (literal != null) {
            matchedLevel(literal, topic, to, visitor);
        }
    }

    /** Continues below {@code node}, whose level matched the topic level ending at {@code to}. */
    private void matchedLevel(TrieNode<S> node, String topic, int to, MatchVisitor<S> visitor) {
        if (to < topic.length()) {
            matchLevel(node, topic, to + 1, visitor);
            return;
        }
        node.visitSubscribers(visitor);
        // "#" also matches the parent level: "sport/#" matches "sport".
        TrieNode<S> multiLevel = node.multiLevelChild();
        if (multiLevel != null) {
            multiLevel.visitSubscribers(visitor);
        }
    }
}
