package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrftimeFormatTest {

    /** Tuesday 5 March 2024, 14:07:09 UTC. */
    private static final ZonedDateTime TIME = ZonedDateTime.of(2024, 3, 5, 14, 7, 9, 0, ZoneOffset.UTC);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%Y-%m-%dT%H:%M:%S|2024-03-05T14:07:09",
        "%F %T|2024-03-05 14:07:09",
        "%D %R|03/05/24 14:07",
        "%a %A %b %B %h|Tue Tuesday Mar March Mar",
        "[%e][%k][%l]|[ 5][14][ 2]",
        "%I:%M %p|02:07 PM",
        "%r|02:07:09 PM",
        "%j %u|065 2",
        "%y|24",
        "%s|1709647629",
        "%z %Z|+0000 Z",
        "100%% at %H|100% at 14",
        "plain text|plain text"})
    void formatsLikeStrftime(String pattern, String expected) {
        assertEquals(expected, StrftimeFormat.toFormatter(pattern).format(TIME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%c", "%x", "%X", "%U", "%G", "%Q", "%Ey", "%H:%"})
    void unsupportedConversionsAreRejected(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> StrftimeFormat.toFormatter(pattern));
    }
}
