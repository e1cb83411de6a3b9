package io.midge.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * A Paho subscriber that keeps every message it received, so a test can await one, count them,
 * and reconnect the same client (its in-memory QoS 2 state kept) after its broker restarted.
 */
final class Inbox implements AutoCloseable {

    private final Paho paho;
    private final MqttConnectOptions options;
    private final List<Paho.Msg> seen = new ArrayList<>();

    private Inbox(Paho paho, MqttConnectOptions options) {
        this.paho = paho;
        this.options = options;
    }

    /** Connects to {@code port} and subscribes to each filter at QoS 2. */
    static Inbox subscribe(int port, String clientId, boolean cleanSession, String... filters) {
        MqttConnectOptions[] kept = new MqttConnectOptions[1];
        Paho p = Paho.connect(port, clientId, cleanSession, o -> kept[0] = o);
        Inbox inbox = new Inbox(p, kept[0]);
        inbox.subscribe(filters);
        return inbox;
    }

    void subscribe(String... filters) {
        for (String f : filters) {
            paho.subscribe(f, 2);
        }
    }

    Paho paho() {
        return paho;
    }

    /** Connects the same client again (same id, options and in-flight state), e.g. after its broker restarted. */
    void reconnect(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                if (paho.client().isConnected()) {
                    return;
                }
                paho.client().connect(options);
                return;
            } catch (MqttException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not reconnect within " + limit + ": " + e, e);
                }
                BrokerProcess.sleepQuietly(100);
            }
        }
    }

    private synchronized void drain() {
        Paho.Msg m;
        while ((m = paho.poll(Duration.ZERO)) != null) {
            seen.add(m);
        }
    }

    /** Everything received so far. */
    synchronized List<Paho.Msg> all() {
        drain();
        return new ArrayList<>(seen);
    }

    long count(Predicate<Paho.Msg> which) {
        return all().stream().filter(which).count();
    }

    /** The first message received that matches, waiting up to {@code limit} for it. */
    Paho.Msg await(Predicate<Paho.Msg> which, Duration limit, String what) {
        Paho.Msg[] found = new Paho.Msg[1];
        Await.until(limit, () -> {
            found[0] = all().stream().filter(which).findFirst().orElse(null);
            return found[0] != null;
        }, () -> what + "; received " + all());
        return found[0];
    }

    /** Waits for a message on {@code topic} with {@code payload}. */
    Paho.Msg await(String topic, String payload, Duration limit) {
        return await(m -> m.topic().equals(topic) && m.payload().equals(payload), limit,
                "a message " + topic + " " + payload);
    }

    /** The last message received on {@code topic}, or null. */
    Paho.Msg last(String topic) {
        List<Paho.Msg> all = all();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).topic().equals(topic)) {
                return all.get(i);
            }
        }
        return null;
    }

    /** Waits until the last message on {@code topic} has {@code payload}. */
    void awaitLast(String topic, String payload, Duration limit) {
        Await.until(limit, () -> {
            Paho.Msg m = last(topic);
            return m != null && m.payload().equals(payload);
        }, () -> "last message on " + topic + " to be " + payload + "; received " + all());
    }

    @Override
    public void close() {
        paho.close();
    }
}
