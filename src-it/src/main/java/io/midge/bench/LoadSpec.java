package io.midge.bench;

import java.net.InetSocketAddress;

/**
 * One message-moving run (fanin, fanout, p2p, latency).
 *
 * @param publishers  publishing connections
 * @param subscribers subscribing connections
 * @param rate        total messages per second over all publishers, 0 for as fast as possible
 * @param drainSeconds longest wait, after publishing stops, for messages still on their way
 * @param persistentSubscribers subscribers connect with clean session 0, so a broker with persistence stores what they get
 * @param subscriberBroker where subscribers connect: the broker, or the far end of a bridge from it
 * @param mqtt5       every client connects with protocol level 5 instead of 3.1.1
 * @param shareGroup  subscribers subscribe {@code $share/GROUP/<filter>}, so each message reaches one of them;
 *                    null for ordinary subscriptions
 */
record LoadSpec(Scenario scenario, InetSocketAddress broker, int qos, int payload, double durationSeconds,
                double warmupSeconds, int publishers, int subscribers, int inflight, double rate, int threads,
                double drainSeconds, String prefix, double connectTimeoutSeconds, int connectConcurrency,
                boolean persistentSubscribers, InetSocketAddress subscriberBroker, boolean mqtt5, String shareGroup) {

    /** Publishers and subscribers on the same broker. */
    LoadSpec(Scenario scenario, InetSocketAddress broker, int qos, int payload, double durationSeconds,
             double warmupSeconds, int publishers, int subscribers, int inflight, double rate, int threads,
             double drainSeconds, String prefix, double connectTimeoutSeconds, int connectConcurrency,
             boolean persistentSubscribers) {
        this(scenario, broker, qos, payload, durationSeconds, warmupSeconds, publishers, subscribers, inflight, rate,
                threads, drainSeconds, prefix, connectTimeoutSeconds, connectConcurrency, persistentSubscribers, broker,
                false, null);
    }

    LoadSpec withSubscriberBroker(InetSocketAddress address) {
        return new LoadSpec(scenario, broker, qos, payload, durationSeconds, warmupSeconds, publishers, subscribers,
                inflight, rate, threads, drainSeconds, prefix, connectTimeoutSeconds, connectConcurrency,
                persistentSubscribers, address, mqtt5, shareGroup);
    }

    LoadSpec withMqtt5(boolean on) {
        return new LoadSpec(scenario, broker, qos, payload, durationSeconds, warmupSeconds, publishers, subscribers,
                inflight, rate, threads, drainSeconds, prefix, connectTimeoutSeconds, connectConcurrency,
                persistentSubscribers, subscriberBroker, on, shareGroup);
    }

    /** @param group a share name, or null for ordinary subscriptions */
    LoadSpec withShareGroup(String group) {
        return new LoadSpec(scenario, broker, qos, payload, durationSeconds, warmupSeconds, publishers, subscribers,
                inflight, rate, threads, drainSeconds, prefix, connectTimeoutSeconds, connectConcurrency,
                persistentSubscribers, subscriberBroker, mqtt5, group);
    }

    boolean shared() {
        return shareGroup != null;
    }

    LoadSpec {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2");
        }
        if (payload < Publisher.HEADER_BYTES) {
            throw new IllegalArgumentException("payload must be at least " + Publisher.HEADER_BYTES + " bytes");
        }
        if (inflight < 1 || inflight > 65535) {
            throw new IllegalArgumentException("inflight must be 1..65535");
        }
        if (publishers < 1 || subscribers < 1 || threads < 1 || connectConcurrency < 1) {
            throw new IllegalArgumentException("client, thread and concurrency counts must be at least 1");
        }
        if (durationSeconds <= 0 || warmupSeconds < 0 || rate < 0 || drainSeconds < 0) {
            throw new IllegalArgumentException("duration must be positive; warm-up, rate and drain not negative");
        }
        if (shareGroup != null && (shareGroup.isEmpty() || shareGroup.chars().anyMatch(c -> c == '/' || c == '+' || c == '#'))) {
            // [MQTT-4.8.2-2]: a share name is at least one character, without '/', '+' or '#'.
            throw new IllegalArgumentException("share group must be non-empty, without '/', '+' or '#'");
        }
        if (shareGroup != null && scenario != Scenario.FANOUT) {
            throw new IllegalArgumentException("--shared is for fanout only");
        }
    }
}
