package io.midge.core.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConcurrentReadTableTest {

    private final ConcurrentReadTable<String, Integer> table = new ConcurrentReadTable<>();

    @Test
    void putReplacesAndRemoveReturnsValue() {
        assertNull(table.put("a", 1));
        assertEquals(1, table.put("a", 2));
        assertEquals(2, table.get("a"));
        assertEquals(1, table.size());
        assertEquals(2, table.remove("a"));
        assertNull(table.remove("a"));
        assertNull(table.get("a"));
        assertTrue(table.isEmpty());
    }

    @Test
    void looksUpByRangeWithoutSubstring() {
        table.put("tennis", 1);
        table.put("", 2);
        String topic = "sport/tennis/player1";
        assertEquals(1, table.getByRange(topic, 6, 12, "tennis".hashCode()));
        assertNull(table.getByRange(topic, 0, 5, "sport".hashCode()));
        assertEquals(2, table.getByRange("a//b", 2, 2, 0));
    }

    @Test
    void keepsCollidingKeysReachableAcrossRemovals() {
        // "Aa" and "BB" share a hashCode, so they share a probe chain
        table.put("Aa", 1);
        table.put("BB", 2);
        table.put("C#", 3);
        assertEquals("Aa".hashCode(), "BB".hashCode());
        table.remove("Aa");
        assertEquals(2, table.get("BB"));
        assertEquals(2, table.getByRange("xBB", 1, 3, "BB".hashCode()));
        table.put("Aa", 4);
        assertEquals(4, table.get("Aa"));
        assertEquals(2, table.get("BB"));
    }

    @Test
    void agreesWithHashMapUnderRandomChurn() {
        Random random = new Random(42);
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            String key = "k" + random.nextInt(i < 25_000 ? 2_000 : 20); // grow, then shrink
            if (random.nextInt(3) == 0) {
                assertEquals(expected.remove(key), table.remove(key));
            } else {
                assertEquals(expected.put(key, i), table.put(key, i));
            }
            assertEquals(expected.size(), table.size());
        }
        for (int k = 0; k < 2_000; k++) {
            assertEquals(expected.get("k" + k), table.get("k" + k));
        }
        Map<String, Integer> visited = new HashMap<>();
        table.forEach(visited, (into, key, value) -> assertNull(into.put(key, value)));
        assertEquals(expected, visited);
    }
}
