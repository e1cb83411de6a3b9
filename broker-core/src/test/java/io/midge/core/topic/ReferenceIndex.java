package io.midge.core.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** The obvious subscription index: a map scanned with {@link Topics#matches}. Tests check the trie against it. */
final class ReferenceIndex {

    private record Subscription(String filter, String subscriber) {
    }

    private final Map<Subscription, Integer> qosBySubscription = new HashMap<>();

    int subscribe(String filter, String subscriber, int qos) {
        Integer previous = qosBySubscription.put(new Subscription(filter, subscriber), qos);
        return previous == null ? -1 : previous;
    }

    boolean unsubscribe(String filter, String subscriber) {
        return qosBySubscription.remove(new Subscription(filter, subscriber)) != null;
    }

    void putAll(ReferenceIndex other) {
        qosBySubscription.putAll(other.qosBySubscription);
    }

    void forEach(BiConsumer<String, String> filterAndSubscriber) {
        qosBySubscription.keySet().forEach(s -> filterAndSubscriber.accept(s.filter(), s.subscriber()));
    }

    int size() {
        return qosBySubscription.size();
    }

    /** Asserts that the trie visits the same (subscriber, qos) pairs and dedupes them the same way. */
    void assertAgrees(SubscriptionTrie<String> trie, String topic) {
        List<String> expectedVisits = new ArrayList<>();
        Map<String, Integer> expectedMaxQos = new HashMap<>();
        qosBySubscription.forEach((subscription, qos) -> {
            if (Topics.matches(subscription.filter(), topic)) {
                expectedVisits.add(subscription.subscriber() + ":" + qos);
                expectedMaxQos.merge(subscription.subscriber(), qos, Math::max);
            }
        });

        List<String> visits = new ArrayList<>();
        trie.match(topic, (subscriber, qos) -> visits.add(subscriber + ":" + qos));
        expectedVisits.sort(null);
        visits.sort(null);
        assertEquals(expectedVisits, visits, "visits for " + topic);

        Matches<String> matches = new Matches<>();
        trie.match(topic, matches);
        Map<String, Integer> maxQos = new HashMap<>();
        for (int i = 0; i < matches.size(); i++) {
            maxQos.put(matches.subscriber(i), matches.qos(i));
        }
        assertEquals(matches.size(), maxQos.size(), "Matches holds a subscriber twice for " + topic);
        assertEquals(expectedMaxQos, maxQos, "deduplicated matches for " + topic);
    }
}
