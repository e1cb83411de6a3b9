package io.midge.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A Paho (blocking MqttClient, memory persistence) client whose received messages go to a queue. */
public final class Paho implements AutoCloseable {

    /** A received message. */
    public record Msg(String topic, byte[] bytes, int qos, boolean retained, boolean dup) {
        public String payload() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Msg(" + topic + ", " + payload() + ", qos=" + qos + ", retained=" + retained + ")";
        }
    }

    private final MqttClient client;
    private final BlockingQueue<Msg> messages = new LinkedBlockingQueue<>();
    private volatile boolean connectionLost;

    private Paho(MqttClient client) {
        this.client = client;
    }

    public static Paho connect(int port, String clientId, boolean cleanSession) {
        return connect(port, clientId, cleanSession, null);
    }

    /** Connects (MQTT 3.1.1) with keepalive 60 and, when {@code tweak} is given, adjusted options. */
    public static Paho connect(int port, String clientId, boolean cleanSession,
                               java.util.function.Consumer<MqttConnectOptions> tweak) {
        return connect("tcp://" + BrokerProcess.HOST + ":" + port, clientId, cleanSession, tweak);
    }

    /**
     * Connects to {@code serverUri} ({@code tcp://}, {@code ssl://}, {@code ws://} or {@code wss://};
     * for TLS set the socket factory in {@code tweak}). Throws {@link IllegalStateException} with
     * the {@link MqttException} as cause when the connection is refused.
     */
    public static Paho connect(String serverUri, String clientId, boolean cleanSession,
                               java.util.function.Consumer<MqttConnectOptions> tweak) {
        try {
            MqttClient c = new MqttClient(serverUri, clientId, new MemoryPersistence());
            Paho p = new Paho(c);
            c.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    p.connectionLost = true;
                }

                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    p.messages.add(new Msg(topic, m.getPayload(), m.getQos(),
                            m.isRetained(), m.isDuplicate()));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {}
            });
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            o.setCleanSession(cleanSession);
            o.setAutomaticReconnect(false);
            o.setKeepAliveInterval(60);
            o.setConnectionTimeout(10);
            o.setMaxInflight(1000);
            if (tweak != null) {
                tweak.accept(o);
            }
            c.setTimeToWait(10_000);
            c.connect(o);
            return p;
        } catch (MqttException e) {
            throw new IllegalStateException("Paho connect failed for " + clientId + ": " + e, e);
        }
    }

    public MqttClient client() {
        return client;
    }

    public boolean connectionLost() {
        return connectionLost;
    }

    public void subscribe(String filter, int qos) {
        try {
            client.subscribe(filter, qos);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    public void publish(String topic, String payload, int qos, boolean retained) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    public void publish(String topic, byte[] payload, int qos, boolean retained) {
        try {
            client.publish(topic, payload, qos, retained);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
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

    public void disconnect() {
        try {
            if (client.isConnected()) {
                client.disconnect(200);
            }
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(200, 500);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // closing anyway
        }
    }
}
