package io.midge.core.topic;

/**
 * One filter level of a {@link SubscriptionTrie}: the subscribers whose filter ends here and the
 * nodes of the next level. Changed only under the trie's write lock, read without locks.
 *
 * <p>Wildcard children have fields of their own because the publish path asks for them at every
 * level. Tables are created on first use: most nodes have only children or only subscribers.
 */
final class TrieNode<S> {

    private volatile ConcurrentReadTable<String, TrieNode<S>> literalChildren;
    private volatile TrieNode<S> singleLevelChild;
    private volatile TrieNode<S> multiLevelChild;
    private volatile ConcurrentReadTable<S, Integer> subscribers;

    // ---- read side: any thread, no locks

    /** The child for the literal level {@code topic.substring(from, to)}, whose hash is {@code hash}. */
    TrieNode<S> literalChild(String topic, int from, int to, int hash) {
        ConcurrentReadTable<String, TrieNode<S>> children = literalChildren;
        return children == null ? null : children.getByRange(topic, from, to, hash);
    }

    TrieNode<S> singleLevelChild() {
        return singleLevelChild;
    }

    TrieNode<S> multiLevelChild() {
        return multiLevelChild;
    }

    void visitSubscribers(MatchVisitor<S> visitor) {
        ConcurrentReadTable<S, Integer> current = subscribers;
        if (current != null) {
            current.forEach(visitor, TrieNode::deliver);
        }
    }

    private static <S> void deliver(MatchVisitor<S> visitor, S subscriber, Integer options) {
        visitor.accept(subscriber, options);
    }

    // ---- write side: callers hold the trie's write lock

    /** The child for a filter level ({@code "+"}, {@code "#"} or literal), or null. */
    TrieNode<S> child(String level) {
        return switch (level) {
            case "+" -> singleLevelChild;
            case "#" -> multiLevelChild;
            default -> literalChildren == null ? null : literalChildren.get(level);
        };
    }

    TrieNode<S> childOrCreate(String level) {
        TrieNode<S> existing = child(level);
        if (existing != null) {
            return existing;
        }
        TrieNode<S> created = new TrieNode<>();
        switch (level) {
            case "+" -> singleLevelChild = created;
            case "#" -> multiLevelChild = created;
            default -> {
                if (literalChildren == null) {
                    literalChildren = new ConcurrentReadTable<>();
                }
                literalChildren.put(level, created);
            }
        }
        return created;
    }

    void removeChild(String level) {
        switch (level) {
            case "+" -> singleLevelChild = null;
            case "#" -> multiLevelChild = null;
            default -> {
                literalChildren.remove(level);
                if (literalChildren.isEmpty()) {
                    literalChildren = null;
                }
            }
        }
    }

    /** Adds or replaces; returns the previous options, or -1 if the subscriber was not here. */
    int putSubscriber(S subscriber, int options) {
        if (subscribers == null) {
            subscribers = new ConcurrentReadTable<>();
        }
        // Options are below 16, so the boxes are the JDK's cached Integers.
        Integer previous = subscribers.put(subscriber, options);
        return previous == null ? -1 : previous;
    }

    /** Returns whether the subscriber was here. */
    boolean removeSubscriber(S subscriber) {
        if (subscribers == null || subscribers.remove(subscriber) == null) {
            return false;
        }
        if (subscribers.isEmpty()) {
            subscribers = null;
        }
        return true;
    }

    /** Whether the node holds nothing, so its parent may drop it. */
    boolean isEmpty() {
        return subscribers == null && literalChildren == null
                && singleLevelChild == null && multiLevelChild == null;
    }

    /** This node and all below it; for tests that check pruning. */
    int countNodes() {
        int count = 1;
        if (singleLevelChild != null) {
            count += singleLevelChild.countNodes();
        }
        if (multiLevelChild != null) {
            count += multiLevelChild.countNodes();
        }
        if (literalChildren != null) {
            int[] literalCount = {0};
            literalChildren.forEach(literalCount, (sum, level, child) -> sum[0] += child.countNodes());
            count += literalCount[0];
        }
        return count;
    }
}
