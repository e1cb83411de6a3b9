package io.midge.core.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SubscriptionTrieRandomizedTest {

    private static final long SEED = 0x5EED_7091CL;
    private static final int SUBSCRIBERS = 30;

    @Test
    void agreesWithReferenceMatcherThroughSubscribesAndUnsubscribes() {
        Random random = new Random(SEED);
        SubscriptionTrie<String> trie = new SubscriptionTrie<>();
        ReferenceIndex reference = new ReferenceIndex();

        for (int step = 1; step <= 3_000; step++) {
            String filter = RandomTopics.filter(random);
            String subscriber = "c" + random.nextInt(SUBSCRIBERS);
            assertTrue(Topics.isValidTopicFilter(filter), filter);
            if (random.nextInt(3) == 0) {
                assertEquals(reference.unsubscribe(filter, subscriber), trie.unsubscribe(filter, subscriber),
                        "unsubscribe " + filter + " " + subscriber);
            } else {
                int qos = random.nextInt(3);
                assertEquals(reference.subscribe(filter, subscriber, qos), trie.subscribe(filter, subscriber, qos),
                        "subscribe " + filter + " " + subscriber);
            }
            if (step % 100 == 0) {
                assertEquals(reference.size(), trie.subscriptionCount());
                for (int i = 0; i < 100; i++) {
                    reference.assertAgrees(trie, RandomTopics.topic(random));
                }
            }
        }
    }

    @Test
    void unsubscribingEverythingLeavesOnlyTheRoot() {
        Random random = new Random(SEED);
        SubscriptionTrie<String> trie = new SubscriptionTrie<>();
        String[] filters = new String[2_000];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = RandomTopics.filter(random);
            trie.subscribe(filters[i], "c" + (i % SUBSCRIBERS), 0);
        }
        for (int i = 0; i < filters.length; i++) {
            trie.unsubscribe(filters[i], "c" + (i % SUBSCRIBERS));
        }
        assertEquals(0, trie.subscriptionCount());
        assertEquals(1, trie.nodeCount());
    }
}
