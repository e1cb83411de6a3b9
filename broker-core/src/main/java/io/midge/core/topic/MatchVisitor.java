package io.midge.core.topic;

/**
 * Receives the subscriptions a {@link SubscriptionTrie#match} finds for a topic.
 *
 * @param <S> subscriber key
 */
@FunctionalInterface
public interface MatchVisitor<S> {

    /**
     * Called once per matching (filter, subscriber) pair, so a subscriber whose filters overlap
     * is called once per filter. Runs on the publishing thread, inside the match: keep it quick
     * and do not subscribe or unsubscribe from it.
     *
     * @param options that filter's {@link SubscriptionOptions}: its granted QoS and flags
     */
    void accept(S subscriber, int options);
}
