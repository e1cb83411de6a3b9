package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpiryDurationTest {

    @Test
    void unitsAreMosquittos() {
        assertEquals(Duration.ofHours(2), ExpiryDuration.parse("2h"));
        assertEquals(Duration.ofDays(14), ExpiryDuration.parse("14d"));
        assertEquals(Duration.ofDays(7), ExpiryDuration.parse("1w"));
        assertEquals(Duration.ofDays(30), ExpiryDuration.parse("1m"));
        assertEquals(Duration.ofDays(365), ExpiryDuration.parse("1y"));
    }

    @Test
    void largestAcceptedValueDoesNotOverflow() {
        assertEquals(Duration.ofDays(365L * 999_999_999), ExpiryDuration.parse("999999999y"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "h", "2", "2s", "2H", "0h", "-2h", "+2h", "1234567890y", "2 h", "٣d"})
    void rejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> ExpiryDuration.parse(text));
    }
}
