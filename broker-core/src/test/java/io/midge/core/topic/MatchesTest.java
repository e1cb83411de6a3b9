package io.midge.core.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MatchesTest {

    private final Matches<String> matches = new Matches<>();

    @Test
    void keepsOneEntryPerSubscriberWithHighestQos() {
        matches.accept("a", 1);
        matches.accept("b", 0);
        matches.accept("a", 2);
        matches.accept("a", 0);
        matches.accept(new String("b"), 1); // equal, not identical

        assertEquals(2, matches.size());
        assertEquals("a", matches.subscriber(0));
        assertEquals(2, matches.qos(0));
        assertEquals("b", matches.subscriber(1));
        assertEquals(1, matches.qos(1));
    }

    @Test
    void clearForgetsEverything() {
        matches.accept("a", 2);
        matches.clear();
        assertEquals(0, matches.size());
        matches.accept("a", 0);
        assertEquals(1, matches.size());
        assertEquals(0, matches.qos(0));
        assertThrows(IndexOutOfBoundsException.class, () -> matches.subscriber(1));
    }

    @Test
    void growsAndStaysCorrectAcrossReuse() {
        for (int round = 0; round < 3; round++) {
            matches.clear();
            for (int i = 0; i < 1_000; i++) {
                matches.accept("s" + i, i % 3);
            }
            for (int i = 999; i >= 0; i--) {
                matches.accept("s" + i, 1);
            }
            assertEquals(1_000, matches.size());
            for (int i = 0; i < 1_000; i++) {
                assertEquals("s" + i, matches.subscriber(i));
                assertEquals(Math.max(1, i % 3), matches.qos(i));
            }
        }
    }
}
