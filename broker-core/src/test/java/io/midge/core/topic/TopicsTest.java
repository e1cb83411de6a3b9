package io.midge.core.topic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "/", "sport/tennis/player1", "/finance", "a//b", "a/", "$SYS/broker",
            "Accounts payable", "caf\u00e9", "\uD83D\uDE00"})
    void acceptsTopicNames(String name) {
        assertTrue(Topics.isValidTopicName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sport/+", "sport/#", "+", "#", "a+b", "a#", "a\u0000b",
            "\uD83D", "a\uDE00b"})
    void rejectsTopicNames(String name) {
        assertFalse(Topics.isValidTopicName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "sport/#", "sport/tennis/#", "+/tennis/#", "sport/+/player1", "+/+",
            "/+", "+/", "a//b", "/a", "a/", "/", "//", "$SYS/#", "+/#", "a/+/#"})
    void acceptsTopicFilters(String filter) {
        assertTrue(Topics.isValidTopicFilter(filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sport/tennis#", "sport/tennis/#/ranking", "sport+", "#/", "##", "a/#b",
            "+a", "a+/b", "a/b+", "++", "#/+", "a\u0000", "\uDBFF"})
    void rejectsTopicFilters(String filter) {
        assertFalse(Topics.isValidTopicFilter(filter));
    }

    @Test
    void limitsUtf8LengthNotCharCount() {
        String ascii = "a".repeat(Topics.MAX_UTF8_LENGTH);
        assertTrue(Topics.isValidTopicName(ascii));
        assertTrue(Topics.isValidTopicFilter(ascii));
        assertFalse(Topics.isValidTopicName(ascii + "a"));
        assertFalse(Topics.isValidTopicFilter(ascii + "a"));

        String threeByteChars = "\u20AC".repeat(Topics.MAX_UTF8_LENGTH / 3); // 65535 bytes exactly
        assertTrue(Topics.isValidTopicName(threeByteChars));
        assertFalse(Topics.isValidTopicName(threeByteChars + "a"));
        assertFalse(Topics.isValidTopicName("\u00e9".repeat(Topics.MAX_UTF8_LENGTH / 2 + 1)));
    }

    @ParameterizedTest
    @CsvSource({
            // MQTT 3.1.1 section 4.7.1.2
            "sport/tennis/player1/#, sport/tennis/player1",
            "sport/tennis/player1/#, sport/tennis/player1/ranking",
            "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon",
            "sport/#, sport",
            "'#', sport/tennis",
            // 4.7.1.3
            "sport/tennis/+, sport/tennis/player1",
            "sport/tennis/+, sport/tennis/player2",
            "sport/+, sport/",
            "+/+, /finance",
            "/+, /finance",
            "sport/+/player1, sport/tennis/player1",
            // 4.7.2
            "$SYS/#, $SYS/monitor/Clients",
            "$SYS/monitor/+, $SYS/monitor/Clients",
            "$SYS/#, $SYS",
            // empty levels
            "a//b, a//b",
            "a/+/b, a//b",
            "+/+, /",
            "/, /",
            "a/, a/",
            "'#', /",
    })
    void matches(String filter, String topic) {
        assertTrue(Topics.matches(filter, topic), filter + " should match " + topic);
    }

    @ParameterizedTest
    @CsvSource({
            "sport/tennis/+, sport/tennis/player1/ranking",
            "sport/+, sport",
            "+, /finance",
            "+, /",
            "sport/tennis/player1/#, sport/tennis",
            "sport, sport/",
            "sport/, sport",
            "a/b, a/b/c",
            "a/b/c, a/b",
            "a//b, a/b",
            "ACCOUNTS, Accounts",
            // '$' topics are not matched by filters starting with a wildcard (4.7.2)
            "'#', $SYS",
            "'#', $SYS/monitor/Clients",
            "+, $SYS",
            "+/monitor/Clients, $SYS/monitor/Clients",
            "+/#, $SYS/x",
    })
    void doesNotMatch(String filter, String topic) {
        assertFalse(Topics.matches(filter, topic), filter + " should not match " + topic);
    }

    @Test
    void dollarOnlyMattersInTheFirstLevel() {
        assertTrue(Topics.matches("a/+", "a/$b"));
        assertTrue(Topics.matches("a/#", "a/$b"));
        assertTrue(Topics.matches("$x/+", "$x/y"));
        assertTrue(Topics.isReservedTopic("$"));
        assertFalse(Topics.isReservedTopic("a/$"));
    }
}
