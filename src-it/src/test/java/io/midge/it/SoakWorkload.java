package io.midge.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.Semaphore;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * What the soak puts a broker through, all at once: publishers of numbered messages at QoS 0, 1
 * and 2 in turn; a persistent subscriber that stays and one that keeps leaving and coming back;
 * clients that connect, update a retained message and leave; and a subscriber that never reads.
 * The two persistent subscribers keep account of every QoS 1 and 2 message they get.
 */
final class SoakWorkload implements AutoCloseable {

    static final int PUBLISHERS = 3;
    /** Messages a second from each publisher. */
    static final int RATE = 500;
    /** Publishes a publisher may have unacknowledged: Paho's own window, which it refuses to exceed. */
    private static final int WINDOW = 50;
    static final int RETAINED_TOPICS = 50;

    private final int port;
    private final String prefix;
    private final List<Thread> threads = new ArrayList<>();
    private final List<MqttClient> clients = new ArrayList<>();
    private final List<MqttAsyncClient> publishers = new ArrayList<>();
    private volatile boolean publishing = true;
    private volatile boolean churning = true;
    private final AtomicInteger[] published = new AtomicInteger[PUBLISHERS];
    private final AtomicLong churned = new AtomicLong();
    final Tally steady = new Tally();
    final Tally roamer = new Tally();
    private final java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    private MqttClient roamerClient;
    private Socket stalled;

    SoakWorkload(int port, String prefix) {
        this.port = port;
        this.prefix = prefix;
        for (int i = 0; i < PUBLISHERS; i++) {
            published[i] = new AtomicInteger();
        }
    }

    /** The QoS 1 and 2 messages a subscriber got, by publisher and number, and QoS 2 ones it got twice. */
    static final class Tally {
        private final BitSet[] seen = new BitSet[PUBLISHERS];
        private int qos2Duplicates;
        private long received;

        Tally() {
            for (int i = 0; i < PUBLISHERS; i++) {
                seen[i] = new BitSet();
            }
        }

        synchronized void add(int publisher, int seq) {
            received++;
            if (seq % 3 == 0) {
                return; // QoS 0: may be dropped
            }
            if (seen[publisher].get(seq) && seq % 3 == 2) {
                qos2Duplicates++;
            }
            seen[publisher].set(seq);
        }

        /** The QoS 1 and 2 messages among the first {@code counts[i]} of each publisher not yet seen. */
        synchronized int missing(int[] counts) {
            int missing = 0;
            for (int i = 0; i < PUBLISHERS; i++) {
                for (int seq = 0; seq < counts[i]; seq++) {
                    if (seq % 3 != 0 && !seen[i].get(seq)) {
                        missing++;
                    }
                }
            }
            return missing;
        }

        synchronized int qos2Duplicates() {
            return qos2Duplicates;
        }

        synchronized long received() {
            return received;
        }
    }

    void start() throws Exception {
        MqttClient steadyClient = connect(prefix + "-steady", false, tallying(steady));
        steadyClient.subscribe(prefix + "/data/#", 2);
        roamerClient = connect(prefix + "-roamer", false, tallying(roamer));
        roamerClient.subscribe(prefix + "/data/#", 1);
        stalled = new Socket(BrokerProcess.HOST, port);
        stalled.setReceiveBufferSize(4096);
        OutputStream out = stalled.getOutputStream();
        out.write(Mqtt.connect(prefix + "-stalled").build());
        out.write(Mqtt.subscribe(1, prefix + "/data/#", 1));
        out.flush();
        for (int i = 0; i < PUBLISHERS; i++) {
            int publisher = i;
            MqttAsyncClient client = new MqttAsyncClient("tcp://" + BrokerProcess.HOST + ":" + port, prefix + "-pub" + i,
                    new MemoryPersistence());
            client.connect(options(true)).waitForCompletion();
            publishers.add(client);
            spawn("soak-pub" + i, () -> publish(client, publisher));
        }
        spawn("soak-roamer", this::roam);
        spawn("soak-churn", this::churn);
    }

    /**
     * Counts a message as published once the broker acknowledged it (for QoS 0, once it is
     * written), and stops at the first failure: a message it did not count may not be missed.
     */
    private void publish(MqttAsyncClient client, int publisher) {
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        long next = System.nanoTime();
        String topic = prefix + "/data/" + publisher;
        Semaphore window = new Semaphore(WINDOW);
        AtomicInteger acknowledged = published[publisher];
        for (int seq = 0; publishing; seq++) {
            window.acquireUninterruptibly();
            try {
                // In order: Paho completes a client's publishes in the order the broker acknowledges them, which is the order sent.
                client.publish(topic, Integer.toString(seq).getBytes(StandardCharsets.US_ASCII), seq % 3, false, null,
                        new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                acknowledged.incrementAndGet();
                                window.release();
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable e) {
                                failure.compareAndSet(null, e);
                                window.release();
                            }
                        });
            } catch (MqttException e) {
                throw new IllegalStateException("publisher " + publisher + " at message " + seq, e);
            }
            next += interval;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        window.acquireUninterruptibly(WINDOW); // every publish answered
    }

    /** A persistent session that is away two seconds in every five: its messages wait for it. */
    private void roam() {
        while (churning) {
            try {
                pause(3000);
                roamerClient.disconnect();
                pause(2000);
                roamerClient.connect(options(false));
            } catch (MqttException e) {
                throw new IllegalStateException("roamer", e);
            }
        }
    }

    private void churn() {
        while (churning) {
            long n = churned.incrementAndGet();
            try {
                MqttClient client = new MqttClient("tcp://" + BrokerProcess.HOST + ":" + port, prefix + "-churn" + (n % 20),
                        new MemoryPersistence());
                client.connect(options(true));
                client.publish(prefix + "/retained/" + (n % RETAINED_TOPICS),
                        Long.toString(n).getBytes(StandardCharsets.US_ASCII), 1, true);
                client.disconnect();
                client.close();
            } catch (MqttException e) {
                throw new IllegalStateException("churn client " + n, e);
            }
            pause(50);
        }
    }

    /** Stops the publishers; the roamer comes back for good. Returns how many each published. */
    int[] stopPublishing() throws InterruptedException {
        publishing = false;
        churning = false;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (!roamerClient.isConnected()) {
            try {
                roamerClient.connect(options(false));
            } catch (MqttException e) {
                throw new IllegalStateException("roamer", e);
            }
        }
        int[] counts = new int[PUBLISHERS];
        for (int i = 0; i < PUBLISHERS; i++) {
            counts[i] = published[i].get();
        }
        return counts;
    }

    /** What stopped a workload thread, or null. */
    Throwable failure() {
        return failure.get();
    }

    long churned() {
        return churned.get();
    }

    private MqttCallback tallying(Tally tally) {
        return new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                int publisher = Integer.parseInt(topic.substring(topic.lastIndexOf('/') + 1));
                tally.add(publisher, Integer.parseInt(new String(message.getPayload(), StandardCharsets.US_ASCII)));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        };
    }

    private MqttClient connect(String clientId, boolean cleanSession, MqttCallback callback) throws MqttException {
        MqttClient client = new MqttClient("tcp://" + BrokerProcess.HOST + ":" + port, clientId, new MemoryPersistence());
        if (callback != null) {
            client.setCallback(callback);
        }
        client.connect(options(cleanSession));
        clients.add(client);
        return client;
    }

    private static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        o.setMaxInflight(100);
        return o;
    }

    private void spawn(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> failure.compareAndSet(null, e));
        threads.add(t);
        t.start();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // pacing the workload, not waiting for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        publishing = false;
        churning = false;
        for (MqttAsyncClient client : publishers) {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion();
                }
                client.close();
            } catch (MqttException e) {
                // closing anyway
            }
        }
        for (MqttClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            } catch (MqttException e) {
                // closing anyway
            }
        }
        try {
            if (stalled != null) {
                stalled.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
