package io.midge.core.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Writers churn subscriptions while readers match; afterwards the trie must agree with what the writers did. */
class SubscriptionTrieConcurrencyTest {

    private static final int WRITERS = 2;
    private static final int MATCHERS = 2;
    private static final int WRITES_PER_WRITER = 10_000;

    private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS + MATCHERS);
    private final SubscriptionTrie<String> trie = new SubscriptionTrie<>();

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
    }

    @Test
    void matchesWhileOthersSubscribeAndUnsubscribe() throws Exception {
        List<ReferenceIndex> leftBehind = runWhileMatching(this::churn);
        ReferenceIndex expected = new ReferenceIndex();
        leftBehind.forEach(expected::putAll);
        assertEquals(expected.size(), trie.subscriptionCount());
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            expected.assertAgrees(trie, RandomTopics.topic(random));
        }

        runWhileMatching(writer -> () -> {
            leftBehind.get(writer).forEach((filter, subscriber) -> assertTrue(trie.unsubscribe(filter, subscriber)));
            return null;
        });
        assertEquals(0, trie.subscriptionCount());
        assertEquals(1, trie.nodeCount());
    }

    /** Runs one task per writer while matchers match random topics; returns the writers' results in order. */
    private <T> List<T> runWhileMatching(IntFunction<Callable<T>> writerTask) throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<Long>> matchers = new ArrayList<>();
        for (int m = 0; m < MATCHERS; m++) {
            matchers.add(pool.submit(matcher(m, writing)));
        }
        List<Future<T>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(pool.submit(writerTask.apply(w)));
        }
        List<T> results = new ArrayList<>();
        try {
            for (Future<T> writer : writers) {
                results.add(writer.get());
            }
        } finally {
            writing.set(false);
        }
        for (Future<Long> matcher : matchers) {
            matcher.get();
        }
        return results;
    }

    /** Churns its own subscribers' subscriptions and returns the state it left behind. */
    private Callable<ReferenceIndex> churn(int writer) {
        return () -> {
            Random random = new Random(writer);
            ReferenceIndex own = new ReferenceIndex();
            for (int i = 0; i < WRITES_PER_WRITER; i++) {
                String filter = RandomTopics.filter(random);
                String subscriber = "w" + writer + "-" + random.nextInt(10);
                if (random.nextBoolean()) {
                    assertEquals(own.unsubscribe(filter, subscriber), trie.unsubscribe(filter, subscriber));
                } else {
                    int qos = random.nextInt(3);
                    assertEquals(own.subscribe(filter, subscriber, qos), trie.subscribe(filter, subscriber, qos));
                }
            }
            return own;
        };
    }

    /** Matches random topics until the writers are done; returns how many matches it saw. */
    private Callable<Long> matcher(int id, AtomicBoolean writing) {
        return () -> {
            Random random = new Random(100 + id);
            Matches<String> matches = new Matches<>();
            long seen = 0;
            while (writing.get()) {
                matches.clear();
                trie.match(RandomTopics.topic(random), matches);
                for (int i = 0; i < matches.size(); i++) {
                    assertNotNull(matches.subscriber(i));
                    assertTrue(matches.qos(i) >= 0 && matches.qos(i) <= 2);
                }
                seen += matches.size();
            }
            return seen;
        };
    }
}
