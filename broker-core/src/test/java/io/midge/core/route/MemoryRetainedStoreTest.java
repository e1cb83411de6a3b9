package io.midge.core.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.core.message.Message;
import io.midge.core.topic.RandomTopics;
import io.midge.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MemoryRetainedStoreTest {

    private final MemoryRetainedStore store = new MemoryRetainedStore();

    @Test
    void putReplacesTheTopicsMessage() {
        store.put(Message.of("a/b", "first", 0, true));
        store.put(Message.of("a/b", "second!", 1, true));

        List<Message> found = matching("a/b");
        assertEquals(1, found.size());
        assertArrayEquals("second!".getBytes(StandardCharsets.UTF_8), found.get(0).payload());
        assertEquals(1, found.get(0).qos());
        assertEquals(1, store.size());
        assertEquals(7, store.totalPayloadBytes());
    }

    @Test
    void storesWithTheRetainFlagSet() {
        store.put(Message.of("a", "x", 0, false));
        assertTrue(matching("a").get(0).retain());
    }

    @Test
    void removeAndEmptyPayloadDelete() {
        store.put(Message.of("a/b", "x", 0, true));
        store.put(Message.of("a/c", "yy", 0, true));
        store.remove("a/b");
        store.remove("a/b");
        store.remove("never/stored");
        assertEquals(Set.of("a/c"), topics("#"));

        store.put(Message.of("a/c", "", 0, true));
        assertEquals(Set.of(), topics("#"));
        assertEquals(0, store.size());
        assertEquals(0, store.totalPayloadBytes());
        assertEquals(1, store.nodeCount());
    }

    @Test
    void wildcardsFindTheSpecsTopics() {
        for (String topic : List.of("sport", "sport/tennis", "sport/tennis/player1", "sport/", "/finance",
                "$SYS", "$SYS/monitor/Clients", "a//b")) {
            store.put(Message.of(topic, topic, 0, true));
        }
        assertEquals(Set.of("sport", "sport/tennis", "sport/tennis/player1", "sport/"), topics("sport/#"));
        assertEquals(Set.of("sport/tennis", "sport/"), topics("sport/+"));
        assertEquals(Set.of("sport"), topics("+"));
        assertEquals(Set.of("sport/tennis", "sport/", "/finance"), topics("+/+"));
        assertEquals(Set.of("/finance"), topics("/+"));
        assertEquals(Set.of("a//b"), topics("a/+/b"));
        assertEquals(Set.of("sport", "sport/tennis", "sport/tennis/player1", "sport/", "/finance", "a//b"),
                topics("#"));
        assertEquals(Set.of("$SYS", "$SYS/monitor/Clients"), topics("$SYS/#"));
        assertEquals(Set.of("$SYS/monitor/Clients"), topics("$SYS/monitor/+"));
        assertEquals(Set.of(), topics("+/monitor/Clients"));
        assertEquals(Set.of(), topics("sport/tennis/player1/ranking"));
    }

    @Test
    void agreesWithReferenceMatcher() {
        Random random = new Random(11);
        Set<String> stored = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String topic = RandomTopics.topic(random);
            store.put(Message.of(topic, topic, 0, true));
            stored.add(topic);
        }
        for (int i = 0; i < 500; i++) {
            String filter = RandomTopics.filter(random);
            Set<String> expected = new TreeSet<>();
            stored.stream().filter(topic -> Topics.matches(filter, topic)).forEach(expected::add);
            assertEquals(expected, new TreeSet<>(topics(filter)), filter);
        }
        assertEquals(stored.size(), store.size());
    }

    @Test
    void removingEverythingPrunesTheTrie() {
        for (int i = 0; i < 1_000; i++) {
            store.put(Message.of("devices/" + i + "/state", "on", 0, true));
            store.put(Message.of("devices/" + i, "x", 0, true));
        }
        assertTrue(store.nodeCount() > 2_000);
        for (int i = 0; i < 1_000; i++) {
            store.remove("devices/" + i);
            store.remove("devices/" + i + "/state");
        }
        assertEquals(1, store.nodeCount());
        assertEquals(0, store.size());
    }

    @Test
    void walksVeryDeepTopicsWithoutRecursion() {
        String deep = "a/".repeat(30_000) + "end";
        store.put(Message.of(deep, "x", 0, true));
        assertEquals(Set.of(deep), topics("#"));
        store.remove(deep);
        assertEquals(1, store.nodeCount());
    }

    @Test
    void rejectsInvalidTopicsAndFilters() {
        assertThrows(IllegalArgumentException.class, () -> store.put(Message.of("a/+", "x", 0, true)));
        assertThrows(IllegalArgumentException.class, () -> store.remove("#"));
        assertThrows(IllegalArgumentException.class, () -> store.forEachMatching("a/#/b", m -> { }));
    }

    private List<Message> matching(String filter) {
        List<Message> found = new ArrayList<>();
        store.forEachMatching(filter, found::add);
        return found;
    }

    private Set<String> topics(String filter) {
        Set<String> found = new HashSet<>();
        store.forEachMatching(filter, message -> assertTrue(found.add(message.topic()), "twice: " + message));
        return found;
    }
}
