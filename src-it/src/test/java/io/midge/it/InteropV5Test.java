package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT 3.1.1 and MQTT 5 clients on one broker: messages cross between the protocol versions at
 * each QoS, live and retained; a 3.1.1 subscriber gets a v5 message's payload without its
 * properties (3.1.1 has no place for them), and a v5 subscriber still gets them from a retained copy.
 */
class InteropV5Test {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    private static Paho v311(String prefix) {
        return Paho.connect(broker.port(), Ids.client(prefix), true);
    }

    private static Paho5 v5(String prefix) {
        return Paho5.connect(broker.port(), Ids.client(prefix));
    }

    private static MqttProperties userPropertiesAndExpiry() {
        MqttProperties p = Paho5.userProperties("from", "v5", "from", "v5 again");
        p.setMessageExpiryInterval(120L);
        return p;
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void aV311PublisherReachesAV5Subscriber(int qos) {
        String t = Ids.topic("311-to-5");
        try (Paho5 sub = v5("sub5"); Paho pub = v311("pub311")) {
            sub.subscribe(t, 2);
            pub.publish(t, "from 3.1.1 at " + qos, qos, false);
            Paho5.Msg m = sub.next(WAIT, "the 3.1.1 publish");
            assertEquals("from 3.1.1 at " + qos, m.payload());
            assertEquals(qos, m.qos());
            assertFalse(m.retained());
            assertTrue(m.userProperties().isEmpty(), "a 3.1.1 message has no user properties");
            assertNull(m.messageExpiry(), "nor an expiry interval");
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void aV5PublisherWithPropertiesReachesAV311Subscriber(int qos) {
        String t = Ids.topic("5-to-311");
        try (Paho sub = v311("sub311"); Paho5 pub = v5("pub5")) {
            sub.subscribe(t, 2);
            pub.publish(t, "from 5 at " + qos, qos, false, userPropertiesAndExpiry());
            Paho.Msg m = sub.poll(WAIT);
            assertNotNull(m, "the v5 publish reached the 3.1.1 subscriber");
            assertEquals("from 5 at " + qos, m.payload(), "the payload, untouched by the properties");
            assertEquals(qos, m.qos());
            assertFalse(m.retained());
            assertFalse(sub.connectionLost(), "the 3.1.1 client got a packet it could parse");
        }
    }

    @Test
    void aV311RetainedMessageReachesALaterV5Subscriber() {
        String t = Ids.topic("retained-311");
        try (Paho pub = v311("pub311")) {
            pub.publish(t, "kept by 3.1.1", 1, true);
        }
        try (Paho5 sub = v5("sub5")) {
            sub.subscribe(t, 2);
            Paho5.Msg m = sub.next(WAIT, "the retained 3.1.1 message");
            assertEquals("kept by 3.1.1", m.payload());
            assertTrue(m.retained());
            assertEquals(1, m.qos());
        }
        try (Paho pub = v311("pub311")) {
            pub.publish(t, "", 1, true); // clear
        }
    }

    @Test
    void aV5RetainedMessageReachesLaterSubscribersOfBothVersions() {
        String t = Ids.topic("retained-5");
        try (Paho5 pub = v5("pub5")) {
            pub.publish(t, "kept by 5", 2, true, userPropertiesAndExpiry());
        }
        try (Paho sub = v311("sub311")) {
            sub.subscribe(t, 2);
            Paho.Msg m = sub.poll(WAIT);
            assertNotNull(m, "the retained v5 message reached the 3.1.1 subscriber");
            assertEquals("kept by 5", m.payload());
            assertTrue(m.retained());
            assertEquals(2, m.qos());
        }
        try (Paho5 sub = v5("sub5")) {
            sub.subscribe(t, 2);
            Paho5.Msg m = sub.next(WAIT, "the retained v5 message");
            assertEquals("kept by 5", m.payload());
            assertTrue(m.retained());
            assertEquals(Paho5.pairs("from", "v5", "from", "v5 again"), m.userProperties(),
                    "the retained copy kept its user properties");
            assertNotNull(m.messageExpiry(), "and what is left of its expiry interval");
            assertTrue(m.messageExpiry() <= 120 && m.messageExpiry() > 100, "expiry " + m.messageExpiry());
        }
        try (Paho5 pub = v5("pub5")) {
            pub.publish(t, "", 1, true); // clear
        }
    }

    @Test
    void oneV5PublishReachesSubscribersOfBothVersionsAtOnce() {
        String t = Ids.topic("fan-out");
        try (Paho sub311 = v311("sub311"); Paho5 sub5 = v5("sub5"); Paho5 pub = v5("pub5")) {
            sub311.subscribe(t, 1);
            sub5.subscribe(t, 1);
            pub.publish(t, "to both", 1, false, userPropertiesAndExpiry());
            Paho.Msg old = sub311.poll(WAIT);
            assertNotNull(old);
            assertEquals("to both", old.payload());
            Paho5.Msg m = sub5.next(WAIT, "the publish");
            assertEquals("to both", m.payload());
            assertEquals(Paho5.pairs("from", "v5", "from", "v5 again"), m.userProperties());
        }
    }
}
