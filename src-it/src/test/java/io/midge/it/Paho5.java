package io.midge.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * A Paho MQTT 5 client (memory persistence) whose received messages, properties included, go to
 * a queue. It drives Paho's {@link MqttAsyncClient} and waits for every token, as Paho's blocking
 * {@code MqttClient} does, because only the asynchronous client lets a SUBSCRIBE carry properties
 * (the subscription identifier).
 */
public final class Paho5 implements AutoCloseable {

    private static final long WAIT_MILLIS = 10_000;

    /** A received message with the properties it arrived with. */
    public record Msg(String topic, byte[] bytes, int qos, boolean retained, boolean dup, MqttProperties properties) {
        public String payload() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public List<UserProperty> userProperties() {
            return properties.getUserProperties();
        }

        public List<Integer> subscriptionIdentifiers() {
            return properties.getSubscriptionIdentifiers();
        }

        /** The message expiry interval it arrived with, or null when it had none. */
        public Long messageExpiry() {
            return properties.getMessageExpiryInterval();
        }

        @Override
        public String toString() {
            return "Msg(" + topic + ", " + payload() + ", qos=" + qos + ", retained=" + retained
                    + ", " + properties + ")";
        }
    }

    private final MqttAsyncClient client;
    private final BlockingQueue<Msg> messages = new LinkedBlockingQueue<>();
    private volatile MqttDisconnectResponse disconnected;
    private boolean sessionPresent;
    private MqttProperties connackProperties;

    private Paho5(MqttAsyncClient client) {
        this.client = client;
    }

    /** Connects with clean start, no session expiry, keepalive 60. */
    public static Paho5 connect(int port, String clientId) {
        return connect(port, clientId, null);
    }

    /** Connects with clean start {@code cleanStart} and session expiry interval {@code sessionExpiry} seconds. */
    public static Paho5 connect(int port, String clientId, boolean cleanStart, long sessionExpiry) {
        return connect(port, clientId, o -> {
            o.setCleanStart(cleanStart);
            o.setSessionExpiryInterval(sessionExpiry);
        });
    }

    /** Connects with clean start and keepalive 60 and, when {@code tweak} is given, adjusted options. */
    public static Paho5 connect(int port, String clientId, Consumer<MqttConnectionOptions> tweak) {
        return connect("tcp://" + BrokerProcess.HOST + ":" + port, clientId, tweak);
    }

    /**
     * Connects to {@code serverUri}. Throws {@link IllegalStateException} with the
     * {@link MqttException} as cause when the connection is refused.
     */
    public static Paho5 connect(String serverUri, String clientId, Consumer<MqttConnectionOptions> tweak) {
        try {
            MqttAsyncClient c = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
            Paho5 p = new Paho5(c);
            c.setCallback(p.new Inbound());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setAutomaticReconnect(false);
            o.setKeepAliveInterval(60);
            o.setConnectionTimeout(10);
            if (tweak != null) {
                tweak.accept(o);
            }
            IMqttToken token = c.connect(o);
            token.waitForCompletion(WAIT_MILLIS);
            p.sessionPresent = token.getSessionPresent();
            p.connackProperties = token.getResponseProperties();
            return p;
        } catch (MqttException e) {
            throw new IllegalStateException("Paho v5 connect failed for " + clientId + ": " + e, e);
        }
    }

    private final class Inbound implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnected = response;
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {}

        @Override
        public void messageArrived(String topic, MqttMessage m) {
            MqttProperties props = m.getProperties() != null ? m.getProperties() : new MqttProperties();
            messages.add(new Msg(topic, m.getPayload(), m.getQos(), m.isRetained(), m.isDuplicate(), props));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }

    public MqttAsyncClient client() {
        return client;
    }

    /** The CONNACK's session present flag. */
    public boolean sessionPresent() {
        return sessionPresent;
    }

    public MqttProperties connackProperties() {
        return connackProperties;
    }

    /** The server's DISCONNECT or the connection loss, or null while connected. */
    public MqttDisconnectResponse disconnected() {
        return disconnected;
    }

    /** Subscribes to {@code filter} at {@code qos}; returns the SUBACK reason code. */
    public int subscribe(String filter, int qos) {
        return subscribe(new MqttSubscription(filter, qos), null);
    }

    /**
     * Subscribes with the options of {@code subscription} (no local, retain as published, retain
     * handling) and, unless null, subscription identifier {@code subscriptionId}; returns the
     * SUBACK reason code.
     */
    public int subscribe(MqttSubscription subscription, Integer subscriptionId) {
        MqttProperties props = new MqttProperties();
        if (subscriptionId != null) {
            props.setSubscriptionIdentifier(subscriptionId);
        }
        try {
            IMqttToken token = client.subscribe(new MqttSubscription[] {subscription}, null, null, props);
            token.waitForCompletion(WAIT_MILLIS);
            return token.getReasonCodes()[0];
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A subscription with the given options, for {@link #subscribe(MqttSubscription, Integer)}. */
    public static MqttSubscription subscription(String filter, int qos, boolean noLocal, boolean retainAsPublished,
                                                int retainHandling) {
        MqttSubscription s = new MqttSubscription(filter, qos);
        s.setNoLocal(noLocal);
        s.setRetainAsPublished(retainAsPublished);
        s.setRetainHandling(retainHandling);
        return s;
    }

    public void publish(String topic, String payload, int qos, boolean retained) {
        publish(topic, payload, qos, retained, new MqttProperties());
    }

    /** Publishes and waits until the QoS flow completed (PUBACK / PUBCOMP, or written for QoS 0). */
    public void publish(String topic, String payload, int qos, boolean retained, MqttProperties properties) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained, properties);
    }

    public void publish(String topic, byte[] payload, int qos, boolean retained, MqttProperties properties) {
        try {
            MqttMessage m = new MqttMessage(payload, qos, retained, properties);
            client.publish(topic, m).waitForCompletion(WAIT_MILLIS);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Properties holding the user properties {@code keysAndValues} (k1, v1, k2, v2, ...) in that order. */
    public static MqttProperties userProperties(String... keysAndValues) {
        MqttProperties p = new MqttProperties();
        p.setUserProperties(pairs(keysAndValues));
        return p;
    }

    /** The user properties {@code keysAndValues} (k1, v1, k2, v2, ...) in that order. */
    public static List<UserProperty> pairs(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        List<UserProperty> list = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            list.add(new UserProperty(keysAndValues[i], keysAndValues[i + 1]));
        }
        return list;
    }

    /** The next message, or null after the timeout. */
    public Msg poll(Duration timeout) {
        try {
            return messages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message; fails when none arrives within {@code timeout}. */
    public Msg next(Duration timeout, String what) {
        Msg m = poll(timeout);
        if (m == null) {
            throw new AssertionError("no message (" + what + ") within " + timeout + " at " + client.getClientId());
        }
        return m;
    }

    /** Collects {@code count} messages, stopping early when none arrives for {@code idle}. */
    public List<Msg> collect(int count, Duration idle) {
        List<Msg> out = new ArrayList<>();
        while (out.size() < count) {
            Msg m = poll(idle);
            if (m == null) {
                break;
            }
            out.add(m);
        }
        return out;
    }

    /** A normal DISCONNECT (reason 0x00), the session kept for its expiry interval. */
    public void disconnect() {
        try {
            if (client.isConnected()) {
                // No quiesce: every publish here waited for its flow to complete already.
                client.disconnect(0).waitForCompletion(WAIT_MILLIS);
            }
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops the connection (a DISCONNECT first) without waiting for it: Paho v5 stops each of its
     * threads in 100 ms polling steps, close to a second per client, and nothing a test does
     * after a close depends on it having finished (every client has its own id).
     */
    @Override
    public void close() {
        CLOSER.execute(() -> {
            try {
                if (client.isConnected()) {
                    // The server answers no DISCONNECT: the timeout is only how long the write may take.
                    client.disconnectForcibly(0, 100, true);
                }
            } catch (MqttException ignored) {
                // closing anyway
            }
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // closing anyway
            }
        });
    }

    private static final java.util.concurrent.ExecutorService CLOSER = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "paho5-close");
        t.setDaemon(true);
        return t;
    });
}
