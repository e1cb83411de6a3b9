package io.midge.core.route;

import io.midge.core.message.Message;
import io.midge.core.topic.Topics;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@link RetainedStore} in memory: a trie of topic levels, so that a filter only walks the
 * branches it can match.
 *
 * <p>Locking: readers take no locks. A writer locks only the node it changes, so puts to
 * different topics proceed in parallel; a node's message and its set of children change only
 * under that node's lock. Emptied nodes are pruned bottom-up, each step holding the parent's
 * lock and then the child's (the only nested locking, always in that order). A pruned node is
 * marked detached, and a writer that finds it so walks again from the root.
 */
public final class MemoryRetainedStore implements RetainedStore {

    /** Stack marker for a node whose whole subtree matches (below a {@code '#'}). */
    private static final int WHOLE_SUBTREE = -1;

    private final TopicNode root = new TopicNode(null, null);
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong payloadBytes = new AtomicLong();

    @Override
    public void put(Message message) {
        String[] levels = topicLevels(message.topic());
        if (message.payload().length == 0) {
            remove(levels);
            return;
        }
        Message retained = message.withRetain(true);
        while (!trySet(levels, retained)) {
            // A remove pruned part of the path under us; the next walk builds a fresh one.
        }
    }

    @Override
    public void remove(String topic) {
        remove(topicLevels(topic));
    }

    @Override
    public void forEachMatching(String filter, Consumer<Message> action) {
        if (!Topics.isValidTopicFilter(filter)) {
            throw new IllegalArgumentException("invalid topic filter: " + filter);
        }
        String[] levels = Topics.levels(filter);
        // An explicit stack, not recursion: topics may be tens of thousands of levels deep.
        Deque<Visit> pending = new ArrayDeque<>();
        pending.push(new Visit(root, 0));
        while (!pending.isEmpty()) {
            Visit visit = pending.pop();
            TopicNode node = visit.node();
            int depth = visit.depth();
            if (depth == WHOLE_SUBTREE || depth == levels.length) {
                node.emitMessage(action);
                if (depth == WHOLE_SUBTREE) {
                    node.pushChildren(pending, WHOLE_SUBTREE, false);
                }
                continue;
            }
            // The '$' rule: a wildcard in the first level skips topics starting with '$'.
            boolean skipReserved = depth == 0;
            switch (levels[depth]) {
                case "#" -> {
                    node.emitMessage(action); // "sport/#" matches "sport"; the root holds none
                    node.pushChildren(pending, WHOLE_SUBTREE, skipReserved);
                }
                case "+" -> node.pushChildren(pending, depth + 1, skipReserved);
                default -> {
                    TopicNode child = node.child(levels[depth]);
                    if (child != null) {
                        pending.push(new Visit(child, depth + 1));
                    }
                }
            }
        }
    }

    @Override
    public int size() {
        return size.get();
    }

    @Override
    public long totalPayloadBytes() {
        return payloadBytes.get();
    }

    /** Number of trie nodes including the root; for tests that check pruning. */
    int nodeCount() {
        int count = 0;
        Deque<Visit> pending = new ArrayDeque<>();
        pending.push(new Visit(root, WHOLE_SUBTREE));
        while (!pending.isEmpty()) {
            count++;
            pending.pop().node().pushChildren(pending, WHOLE_SUBTREE, false);
        }
        return count;
    }

    /** Walks to the topic's node, creating the path, and sets its message; false if a prune got in the way. */
    private boolean trySet(String[] levels, Message message) {
        TopicNode node = root;
        for (String level : levels) {
            node = node.childOrCreate(level);
            if (node == null) {
                return false;
            }
        }
        synchronized (node) {
            if (node.detached) {
                return false;
            }
            account(node.message, message);
            node.message = message;
            return true;
        }
    }

    private void remove(String[] levels) {
        TopicNode node = root;
        for (int i = 0; i < levels.length && node != null; i++) {
            node = node.child(levels[i]);
        }
        if (node == null) {
            return;
        }
        synchronized (node) {
            // A detached node holds no message: it was pruned empty.
            if (node.message == null) {
                return;
            }
            account(node.message, null);
            node.message = null;
        }
        pruneUpwards(node);
    }

    /** Detaches {@code node} and then each ancestor, for as long as they are empty. */
    private static void pruneUpwards(TopicNode node) {
        for (TopicNode child = node; child.parent != null; child = child.parent) {
            TopicNode parent = child.parent;
            synchronized (parent) {
                synchronized (child) {
                    if (child.detached || !child.isEmpty()) {
                        return;
                    }
                    child.detached = true;
                    parent.removeChild(child);
                }
            }
        }
    }

    private void account(Message previous, Message next) {
        int count = (next == null ? 0 : 1) - (previous == null ? 0 : 1);
        long bytes = (next == null ? 0 : next.payload().length) - (previous == null ? 0 : previous.payload().length);
        if (count != 0) {
            size.addAndGet(count);
        }
        if (bytes != 0) {
            payloadBytes.addAndGet(bytes);
        }
    }

    private static String[] topicLevels(String topic) {
        if (!Topics.isValidTopicName(topic)) {
            throw new IllegalArgumentException("invalid topic name: " + topic);
        }
        return Topics.levels(topic);
    }

    private record Visit(TopicNode node, int depth) {
    }

    /** One topic level. Fields other than the final ones change only under this node's lock. */
    private static final class TopicNode {

        final TopicNode parent;
        final String level;
        volatile Message message;
        boolean detached;
        // Created with the first child and dropped with the last: most nodes are leaves.
        private volatile Map<String, TopicNode> children;

        TopicNode(TopicNode parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        TopicNode child(String childLevel) {
            Map<String, TopicNode> current = children;
            return current == null ? null : current.get(childLevel);
        }

        /** The child for {@code childLevel}, created if needed; null if this node was pruned. */
        TopicNode childOrCreate(String childLevel) {
            TopicNode existing = child(childLevel);
            if (existing != null) {
                return existing;
            }
            synchronized (this) {
                if (detached) {
                    return null;
                }
                if (children == null) {
                    children = new ConcurrentHashMap<>();
                }
                return children.computeIfAbsent(childLevel, l -> new TopicNode(this, l));
            }
        }

        /** Caller holds this node's lock. */
        void removeChild(TopicNode child) {
            children.remove(child.level, child);
            if (children.isEmpty()) {
                children = null;
            }
        }

        /** Caller holds this node's lock. */
        boolean isEmpty() {
            return message == null && children == null;
        }

        void emitMessage(Consumer<Message> action) {
            Message current = message;
            if (current != null) {
                action.accept(current);
            }
        }

        void pushChildren(Deque<Visit> pending, int depth, boolean skipReserved) {
            Map<String, TopicNode> current = children;
            if (current == null) {
                return;
            }
            for (TopicNode child : current.values()) {
                if (!(skipReserved && Topics.isReservedTopic(child.level))) {
                    pending.push(new Visit(child, depth));
                }
            }
        }
    }
}
