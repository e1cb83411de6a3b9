package io.midge.core.route;

import io.midge.core.message.Message;
import java.util.function.Consumer;

/**
 * The retained messages: at most one per topic name, handed to each new matching subscription
 * (MQTT 3.1.1 section 3.3.1.3).
 *
 * <p>Implementations are thread-safe: writes may come from any number of threads, and
 * {@link #forEachMatching} may run while they do, seeing each topic either before or after a
 * concurrent change.
 *
 * <p>Written with a durable implementation in mind: callers must not assume a write is cheap or
 * that the returned messages are the instances that were put, and implementations report storage
 * failures as unchecked exceptions. Payloads are immutable by the {@link Message} contract, so a
 * memory implementation may keep the instance it is given.
 */
public interface RetainedStore {

    /**
     * Makes {@code message} the retained message of its topic, replacing any. It is stored with
     * the retain flag set, ready to be sent to new subscribers. A zero-length payload removes the
     * topic's retained message instead, as the protocol forbids storing it.
     *
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    void put(Message message);

    /**
     * Removes the retained message of {@code topic}, if any.
     *
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    void remove(String topic);

    /**
     * Calls {@code action} on the calling thread with each retained message whose topic
     * {@code filter} matches, in no particular order. Topics starting with {@code '$'} are not
     * matched by filters starting with a wildcard. The action must not write to this store.
     *
     * @throws IllegalArgumentException if the filter is not a valid topic filter
     */
    void forEachMatching(String filter, Consumer<Message> action);

    /** Number of retained messages. */
    int size();

    /** Sum of the payload lengths of the retained messages, for limits and metrics. */
    long totalPayloadBytes();
}
