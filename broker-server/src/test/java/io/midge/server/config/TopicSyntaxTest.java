package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a/b", "a/+/c", "a/#", "/", "+/+", "a//b", "$SYS/#"})
    void validFilters(String filter) {
        assertTrue(TopicSyntax.isValidFilter(filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a#", "#/a", "a/#/b", "a+", "a/b+/c", "a\0b"})
    void invalidFilters(String filter) {
        assertFalse(TopicSyntax.isValidFilter(filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/", "/", "with space"})
    void validTopicNames(String topic) {
        assertTrue(TopicSyntax.isValidTopicName(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/#", "+", "a\0"})
    void invalidTopicNames(String topic) {
        assertFalse(TopicSyntax.isValidTopicName(topic));
    }
}
