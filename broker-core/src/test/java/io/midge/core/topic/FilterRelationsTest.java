package io.midge.core.topic;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FilterRelationsTest {

    @ParameterizedTest(name = "overlap({0}, {1}) = {2}")
    @CsvSource({
            "a/b, a/b, true", "a/b, a/c, false", "a/+, a/b, true", "a/+, +/b, true", "#, a/b/c, true",
            "a/#, a, true", "a/+, a, false", "a/b/c, a/+, false", "+/+, /x, true", "#, $SYS/x, false",
            "+/x, $SYS/x, false", "$SYS/#, $SYS/broker, true", "a/#, b/#, false", "a/+/c, a/b/#, true"
    })
    void overlap(String a, String b, boolean expected) {
        assertEquals(expected, Topics.overlap(a, b));
        assertEquals(expected, Topics.overlap(b, a), "symmetric");
    }

    @ParameterizedTest(name = "covers({0}, {1}) = {2}")
    @CsvSource({
            "#, a/b, true", "a/#, a, true", "a/#, a/b/#, true", "a/+, a/b, true", "a/+, a/#, false",
            "a/b, a/+, false", "#, $SYS/x, false", "$SYS/#, $SYS/x, true", "+/b, a/b, true", "a/+, a/b/c, false",
            "a, a, true", "a/b, a, false"
    })
    void covers(String outer, String inner, boolean expected) {
        assertEquals(expected, Topics.covers(outer, inner));
    }
}
