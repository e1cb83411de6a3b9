package io.midge.core.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubscriptionTrieTest {

    /** Filters of MQTT 3.1.1 section 4.7 and a few more; each is subscribed by a subscriber named after it. */
    private static final List<String> FILTERS = List.of(
            "sport/tennis/player1/#", "sport/#", "#", "sport/tennis/+", "sport/+", "+", "+/+", "/+",
            "+/tennis/#", "sport/+/player1", "$SYS/#", "$SYS/monitor/+", "+/monitor/Clients",
            "sport/tennis/player1", "/finance", "a//b", "a/+/b", "a/", "+/");

    private SubscriptionTrie<String> trie;

    @BeforeEach
    void subscribeAll() {
        trie = new SubscriptionTrie<>();
        for (String filter : FILTERS) {
            trie.subscribe(filter, filter, 1);
        }
    }

    @Test
    void matchesTheSpecExamples() {
        assertMatchedFilters("sport/tennis/player1",
                "sport/tennis/player1/#", "sport/#", "#", "sport/tennis/+", "+/tennis/#", "sport/+/player1",
                "sport/tennis/player1");
        assertMatchedFilters("sport/tennis/player1/ranking", "sport/tennis/player1/#", "sport/#", "#", "+/tennis/#");
        assertMatchedFilters("sport/tennis/player1/score/wimbledon",
                "sport/tennis/player1/#", "sport/#", "#", "+/tennis/#");
        assertMatchedFilters("sport", "sport/#", "#", "+");
        assertMatchedFilters("sport/", "sport/#", "#", "sport/+", "+/+", "+/");
        assertMatchedFilters("sport/tennis/player2", "sport/#", "#", "sport/tennis/+", "+/tennis/#");
        assertMatchedFilters("/finance", "#", "+/+", "/+", "/finance");
    }

    @Test
    void wildcardsAtFirstLevelSkipDollarTopics() {
        assertMatchedFilters("$SYS/monitor/Clients", "$SYS/#", "$SYS/monitor/+");
        assertMatchedFilters("$SYS", "$SYS/#");
        assertMatchedFilters("$other");
    }

    @Test
    void emptyLevelsAreLevels() {
        assertMatchedFilters("a//b", "#", "a//b", "a/+/b");
        assertMatchedFilters("a/", "#", "a/", "+/+", "+/");
        assertMatchedFilters("/", "#", "+/+", "/+", "+/");
        assertMatchedFilters("a/b", "#", "+/+");
    }

    @Test
    void visitsEachOverlappingFilterButMatchesDedupes() {
        SubscriptionTrie<String> overlapping = new SubscriptionTrie<>();
        overlapping.subscribe("sport/#", "alice", 0);
        overlapping.subscribe("sport/tennis/+", "alice", 2);
        overlapping.subscribe("#", "alice", 1);
        overlapping.subscribe("sport/tennis/player1", "bob", 1);

        List<String> visits = new ArrayList<>();
        overlapping.match("sport/tennis/player1", (subscriber, qos) -> visits.add(subscriber + ":" + qos));
        visits.sort(null);
        assertEquals(List.of("alice:0", "alice:1", "alice:2", "bob:1"), visits);

        Matches<String> matches = new Matches<>();
        overlapping.match("sport/tennis/player1", matches);
        assertEquals(2, matches.size());
        assertEquals(2, qosOf(matches, "alice"));
        assertEquals(1, qosOf(matches, "bob"));
    }

    @Test
    void subscribeReplacesQosAndReportsThePrevious() {
        SubscriptionTrie<String> fresh = new SubscriptionTrie<>();
        assertEquals(-1, fresh.subscribe("a/+", "s", 0));
        assertEquals(0, fresh.subscribe("a/+", "s", 2));
        assertEquals(-1, fresh.subscribe("a/+", "t", 1));
        assertEquals(2, fresh.subscriptionCount());
        Matches<String> matches = new Matches<>();
        fresh.match("a/b", matches);
        assertEquals(2, qosOf(matches, "s"));
    }

    @Test
    void unsubscribeReportsWhetherItExisted() {
        assertTrue(trie.unsubscribe("sport/+", "sport/+"));
        assertFalse(trie.unsubscribe("sport/+", "sport/+"));
        assertFalse(trie.unsubscribe("sport/#", "someone else"));
        assertFalse(trie.unsubscribe("never/subscribed", "x"));
        assertEquals(FILTERS.size() - 1, trie.subscriptionCount());
        assertEquals(Set.of("sport/#", "#", "+/+", "+/"), Set.copyOf(subscribersOf(trie, "sport/")));
    }

    @Test
    void unsubscribePrunesEmptyNodes() {
        assertTrue(trie.nodeCount() > 1);
        for (String filter : FILTERS) {
            assertTrue(trie.unsubscribe(filter, filter));
        }
        assertEquals(0, trie.subscriptionCount());
        assertEquals(1, trie.nodeCount());

        SubscriptionTrie<String> churned = new SubscriptionTrie<>();
        churned.subscribe("keep/this", "k", 0);
        int baseline = churned.nodeCount();
        for (int i = 0; i < 10_000; i++) {
            churned.subscribe("devices/" + i + "/+/state", "s" + i, 1);
            churned.subscribe("keep/" + i, "s" + i, 1);
            churned.unsubscribe("devices/" + i + "/+/state", "s" + i);
            churned.unsubscribe("keep/" + i, "s" + i);
        }
        assertEquals(baseline, churned.nodeCount());
        assertEquals(1, churned.subscriptionCount());
    }

    @Test
    void unsubscribingAFilterKeepsItsLongerSiblings() {
        SubscriptionTrie<String> nested = new SubscriptionTrie<>();
        nested.subscribe("a/b", "s", 0);
        nested.subscribe("a/b/c", "s", 0);
        nested.unsubscribe("a/b", "s");
        assertEquals(List.of("s"), subscribersOf(nested, "a/b/c"));
        assertEquals(List.of(), subscribersOf(nested, "a/b"));
    }

    @Test
    void rejectsInvalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> trie.subscribe("a/#/b", "s", 0));
        assertThrows(IllegalArgumentException.class, () -> trie.subscribe("", "s", 0));
        assertThrows(IllegalArgumentException.class, () -> trie.subscribe("a", "s", 3));
        assertThrows(NullPointerException.class, () -> trie.subscribe("a", null, 0));
        assertFalse(trie.unsubscribe("a+", "s"));
        assertFalse(trie.unsubscribe("", "s"));
        String tooDeep = "a/".repeat(SubscriptionTrie.MAX_FILTER_LEVELS) + "#";
        assertThrows(IllegalArgumentException.class, () -> trie.subscribe(tooDeep, "s", 0));
        assertFalse(trie.unsubscribe(tooDeep, "s"));
    }

    @Test
    void deepestAllowedFilterMatches() {
        String deepest = "+/".repeat(SubscriptionTrie.MAX_FILTER_LEVELS - 1) + "#";
        SubscriptionTrie<String> deep = new SubscriptionTrie<>();
        deep.subscribe(deepest, "s", 0);
        String topic = "x/".repeat(SubscriptionTrie.MAX_FILTER_LEVELS * 4);
        assertEquals(List.of("s"), subscribersOf(deep, topic));
    }

    private void assertMatchedFilters(String topic, String... expectedFilters) {
        Set<String> matched = new TreeSet<>();
        trie.match(topic, (subscriber, qos) -> assertTrue(matched.add(subscriber), "visited twice: " + subscriber));
        assertEquals(new TreeSet<>(Arrays.asList(expectedFilters)), matched, "topic " + topic);
        for (String filter : FILTERS) {
            assertEquals(matched.contains(filter), Topics.matches(filter, topic), filter + " vs " + topic);
        }
    }

    private static List<String> subscribersOf(SubscriptionTrie<String> trie, String topic) {
        Matches<String> matches = new Matches<>();
        trie.match(topic, matches);
        List<String> subscribers = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            subscribers.add(matches.subscriber(i));
        }
        return subscribers;
    }

    private static int qosOf(Matches<String> matches, String subscriber) {
        for (int i = 0; i < matches.size(); i++) {
            if (matches.subscriber(i).equals(subscriber)) {
                return matches.qos(i);
            }
        }
        throw new AssertionError(subscriber + " not matched");
    }
}
