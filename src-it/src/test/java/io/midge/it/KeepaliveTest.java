package io.midge.it;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keep alive (MQTT 3.1.1 section 3.1.2.10) and PINGREQ / PINGRESP. */
class KeepaliveTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void silentClientIsDisconnectedAfterOneAndAHalfKeepalivesAndItsWillPublished() {
        String willTopic = Ids.topic("ka-will");
        try (RawClient watcher = RawClient.connect(broker.port(), Ids.client("kawatch"))) {
            watcher.subscribe(willTopic, 1);
            watcher.autoAck(true);
            try (RawClient silent = RawClient.open(broker.port())) {
                Packet connack = silent.sendConnect(Mqtt.connect(Ids.client("kasilent")).keepAlive(1)
                        .will(willTopic, "timed-out", 1, false));
                long t0 = System.nanoTime();
                assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes());
                assertTrue(silent.closedWithin(Duration.ofSeconds(4)), "silent client must be disconnected");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 1000 && ms <= 2600, "disconnected after " + ms + " ms; expected about 1500");
            }
            Packet will = watcher.nextPublish(Duration.ofSeconds(3));
            assertEquals(willTopic, will.topic());
            assertEquals("timed-out", will.payloadString());
        }
    }

    @Test
    void trafficWithinKeepaliveKeepsConnectionOpen() {
        try (RawClient c = RawClient.open(broker.port())) {
            c.sendConnect(Mqtt.connect(Ids.client("kabusy")).keepAlive(1));
            for (int i = 0; i < 6; i++) { // 3 s, twice the 1.5 s limit
                BrokerProcess.sleepQuietly(500);
                c.send(Mqtt.pingreq());
                assertArrayEquals(of(0xD0, 0x00), c.read().bytes(), "PINGRESP #" + i);
            }
        }
    }

    @Test
    void pingreqIsAnsweredWithPingresp() {
        try (RawClient c = RawClient.connect(broker.port(), Ids.client("kaping"))) {
            for (int i = 0; i < 3; i++) {
                c.send(Mqtt.pingreq());
                assertArrayEquals(of(0xD0, 0x00), c.read().bytes());
            }
        }
    }

    @Test
    void pingreqWithNonZeroFlagsClosesConnection() {
        try (RawClient c = RawClient.connect(broker.port(), Ids.client("kaflags"))) {
            c.send(of(0xC1, 0x00));
            c.assertClosedWithoutPacket(Duration.ofSeconds(5));
        }
    }

    @Test
    void keepaliveAboveMaxKeepaliveIsRefusedWithIdentifierRejected() {
        // MQTT 3.1.1 cannot tell a client to use a shorter keepalive; mosquitto 2.0.12+ (CVE-2020-13849)
        // refuses it with return code 2, and so do we.
        try (BrokerProcess limited = BrokerProcess.start("max_keepalive 10");
             RawClient c = RawClient.open(limited.port())) {
            Packet connack = c.sendConnect(Mqtt.connect(Ids.client("kamax")).keepAlive(60));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x02), connack.bytes(), "CONNACK " + connack);
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "refused client is closed");
        }
        try (BrokerProcess limited = BrokerProcess.start("max_keepalive 10");
             RawClient c = RawClient.open(limited.port())) {
            Packet connack = c.sendConnect(Mqtt.connect(Ids.client("kaok")).keepAlive(10));
            assertArrayEquals(of(0x20, 0x02, 0x00, 0x00), connack.bytes(), "CONNACK " + connack);
            c.ping();
        }
    }
}
