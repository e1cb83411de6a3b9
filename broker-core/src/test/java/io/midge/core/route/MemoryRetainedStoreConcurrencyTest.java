package io.midge.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.core.message.Message;
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

/** Writers put and remove overlapping topics while readers walk the store. */
class MemoryRetainedStoreConcurrencyTest {

    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int WRITES_PER_WRITER = 20_000;
    private static final String[] LEVELS = {"a", "b", "c", "$s"};

    private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
    private final MemoryRetainedStore store = new MemoryRetainedStore();

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
    }

    @Test
    void staysConsistentUnderConcurrentPutsAndRemoves() throws Exception {
        // Writers share topics, so puts race removes that prune the same paths.
        runWhileReading(writer -> () -> {
            Random random = new Random(writer);
            for (int i = 0; i < WRITES_PER_WRITER; i++) {
                String topic = randomTopic(random);
                if (random.nextInt(3) == 0) {
                    store.remove(topic);
                } else {
                    store.put(Message.of(topic, "x".repeat(random.nextInt(4)), 0, true));
                }
            }
            return null;
        });
        assertCountersMatchContents();

        // Every writer removes every topic; the trie must end empty.
        runWhileReading(writer -> () -> {
            for (String topic : allTopics()) {
                store.remove(topic);
            }
            return null;
        });
        assertEquals(0, store.size());
        assertEquals(0, store.totalPayloadBytes());
        assertEquals(1, store.nodeCount());
    }

    private void assertCountersMatchContents() {
        int[] count = {0};
        long[] bytes = {0};
        for (String filter : List.of("#", "$s/#")) {
            store.forEachMatching(filter, message -> {
                count[0]++;
                bytes[0] += message.payload().length;
            });
        }
        assertEquals(count[0], store.size());
        assertEquals(bytes[0], store.totalPayloadBytes());
    }

    private void runWhileReading(IntFunction<Callable<Void>> writerTask) throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            readers.add(pool.submit(() -> {
                while (writing.get()) {
                    store.forEachMatching("#", message -> assertTrue(message.retain()));
                    store.forEachMatching("a/+/#", message -> assertTrue(message.topic().startsWith("a/")));
                }
                return null;
            }));
        }
        List<Future<Void>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(pool.submit(writerTask.apply(w)));
        }
        try {
            for (Future<Void> writer : writers) {
                writer.get();
            }
        } finally {
            writing.set(false);
        }
        for (Future<?> reader : readers) {
            reader.get();
        }
    }

    private static String randomTopic(Random random) {
        StringBuilder topic = new StringBuilder(LEVELS[random.nextInt(LEVELS.length)]);
        int extraLevels = random.nextInt(3);
        for (int i = 0; i < extraLevels; i++) {
            topic.append('/').append(LEVELS[random.nextInt(LEVELS.length)]);
        }
        return topic.toString();
    }

    private static List<String> allTopics() {
        List<String> topics = new ArrayList<>();
        for (String first : LEVELS) {
            topics.add(first);
            for (String second : LEVELS) {
                topics.add(first + "/" + second);
                for (String third : LEVELS) {
                    topics.add(first + "/" + second + "/" + third);
                }
            }
        }
        return topics;
    }
}
