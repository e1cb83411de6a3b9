package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MQTT 5 CONNECT / CONNACK, sessions, wills and takeover, checked on the wire (MQTT 5 sections 3.1, 3.2, 3.14). */
class Mqtt5ConnectTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration QUIET = Duration.ofMillis(300);
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static RawClient open() {
        return RawClient.open(broker.port());
    }

    private static Set<String> propStrings(Packet5 p) {
        Set<String> s = new TreeSet<>();
        p.props().forEach(prop -> s.add(prop.toString()));
        return s;
    }

    /**
     * [MQTT-3.2.2-1..3] CONNACK: acknowledge flags, reason code, properties. mosquitto 2.0.11 announces
     * topic alias maximum 10 and receive maximum 20 (max_inflight_messages) and nothing else by default.
     */
    @Test
    void connackCarriesTheDefaultPropertiesMosquittoSends() {
        try (RawClient c = open()) {
            Packet5 connack = c.sendConnect5(Mqtt5.connect(Ids.client("c5")));
            assertEquals(Mqtt.CONNACK, connack.type(), "expected CONNACK, got " + connack);
            assertEquals(0x20, connack.raw().header(), "CONNACK fixed header");
            assertEquals(0x00, connack.raw().body()[0], "acknowledge flags: session present 0, reserved bits 0");
            assertEquals(0x00, connack.reason());
            assertEquals(Set.of("0x22=10", "0x21=20"), propStrings(connack), "CONNACK properties " + connack);
            c.ping();
        }
    }

    /** [MQTT-3.1.3-6] [MQTT-3.1.3-7] an empty client id gets a server-assigned one, returned in CONNACK. */
    @Test
    void emptyClientIdGetsAssignedClientIdentifier() {
        try (RawClient a = open(); RawClient b = open()) {
            Packet5 ca = a.sendConnect5(Mqtt5.connect(""));
            Packet5 cb = b.sendConnect5(Mqtt5.connect(""));
            assertEquals(0x00, ca.reason());
            String ida = ca.string(Mqtt5.ASSIGNED_CLIENT_ID);
            String idb = cb.string(Mqtt5.ASSIGNED_CLIENT_ID);
            assertNotNull(ida, "assigned client identifier in " + ca);
            assertFalse(ida.isEmpty());
            assertFalse(ida.equals(idb), "two assigned ids must differ: " + ida);
            a.ping();
            b.ping();
        }
    }

    /** [MQTT-3.1.2-4..6] [MQTT-3.2.2-2] clean start 0 with session expiry 60 keeps the session. */
    @Test
    void sessionExpiryKeepsTheSessionAcrossReconnect() {
        String id = Ids.client("sexp");
        String topic = Ids.topic("sexp");
        try (RawClient c = RawClient.connect5(broker.port(),
                Mqtt5.connect(id).props(Mqtt5.props().u32(Mqtt5.SESSION_EXPIRY, 60)))) {
            assertFalse(c.connack5().sessionPresent());
            c.subscribe5(topic, 1);
            c.send(Mqtt5.disconnect(0x00, null));
            assertTrue(c.closedWithin(CLOSE_WAIT));
        }
        try (RawClient pub = RawClient.connect5(broker.port(), Ids.client("sexpp"))) {
            pub.publish5(topic, 1, false, null, "while-away");
        }
        try (RawClient c = RawClient.connect5(broker.port(),
                Mqtt5.connect(id).cleanStart(false).props(Mqtt5.props().u32(Mqtt5.SESSION_EXPIRY, 60)))) {
            assertTrue(c.connack5().sessionPresent(), "session present expected, got " + c.connack5());
            Packet5 p = c.nextPublish5();
            assertEquals("while-away", p.payloadString());
            c.send(Mqtt.puback(p.packetId()));
            // section 3.14.2.2.2: only a change from 0 is an error: ending the session now is allowed
            c.send(Mqtt5.disconnect(0x00, Mqtt5.props().u32(Mqtt5.SESSION_EXPIRY, 0)));
            assertTrue(c.closedWithin(CLOSE_WAIT));
        }
        try (RawClient c = RawClient.connect5(broker.port(), Mqtt5.connect(id).cleanStart(false))) {
            assertFalse(c.connack5().sessionPresent(), "DISCONNECT with session expiry 0 ended the session");
        }
    }

    /** [MQTT-3.1.2-23] session expiry 0 (the default): the session ends with the connection. */
    @Test
    void sessionExpiryZeroEndsTheSessionAtDisconnect() {
        String id = Ids.client("sexp0");
        try (RawClient c = RawClient.connect5(broker.port(), Mqtt5.connect(id))) {
            c.subscribe5(Ids.topic("sexp0"), 1);
            c.send(Mqtt5.disconnect(0x00, null));
            assertTrue(c.closedWithin(CLOSE_WAIT));
        }
        try (RawClient c = RawClient.connect5(broker.port(), Mqtt5.connect(id).cleanStart(false))) {
            assertFalse(c.connack5().sessionPresent(), "no session expected, got " + c.connack5());
        }
    }

    /** Section 3.14.2.2.2: session expiry 0 in CONNECT, non-zero in DISCONNECT: protocol error. */
    @Test
    void nonZeroSessionExpiryInDisconnectAfterZeroIsAProtocolError() {
        try (RawClient c = RawClient.connect5(broker.port(), Ids.client("dexp"))) {
            c.send(Mqtt5.disconnect(0x00, Mqtt5.props().u32(Mqtt5.SESSION_EXPIRY, 30)));
            c.expectDisconnect5(0x82, CLOSE_WAIT);
        }
    }

    /** [MQTT-4.12.0-1] an authentication method the server does not support: CONNACK 0x8C, then close. */
    @Test
    void unsupportedAuthenticationMethodIsRefusedWith0x8C() {
        try (RawClient c = open()) {
            Packet5 connack = c.sendConnect5(Mqtt5.connect(Ids.client("auth"))
                    .props(Mqtt5.props().str(Mqtt5.AUTH_METHOD, "SCRAM-SHA-1")));
            assertEquals(Mqtt.CONNACK, connack.type(), "expected CONNACK, got " + connack);
            assertEquals(0x8C, connack.reason(), "CONNACK " + connack);
            assertTrue(c.closedWithin(CLOSE_WAIT), "connection must be closed after CONNACK 0x8C");
        }
    }

    /**
     * A property twice, a property CONNECT may not carry, receive maximum or maximum packet size 0
     * (sections 2.2.2.2, 3.1.2.11) are protocol errors; mosquitto 2.0.11 closes without CONNACK; the
     * spec also allows a CONNACK 0x82 first ([MQTT-3.2.2-8], section 4.13.1).
     */
    @Test
    void badConnectPropertiesCloseTheConnection() {
        List<Mqtt5.Props> bad = List.of(
                Mqtt5.props().u32(Mqtt5.SESSION_EXPIRY, 60).u32(Mqtt5.SESSION_EXPIRY, 60),
                Mqtt5.props().u16(Mqtt5.TOPIC_ALIAS, 1),
                Mqtt5.props().u16(Mqtt5.RECEIVE_MAXIMUM, 0),
                Mqtt5.props().u32(Mqtt5.MAXIMUM_PACKET_SIZE, 0),
                Mqtt5.props().raw(0x7F, 0x00));
        for (Mqtt5.Props props : bad) {
            try (RawClient c = open()) {
                c.sendQuietly(Mqtt5.connect(Ids.client("badp")).props(props).build());
                assertClosedMaybeAfterConnack(c, 0x82);
            }
        }
        try (RawClient c = open()) {
            // a will property that only PUBLISH may carry
            c.sendQuietly(Mqtt5.connect(Ids.client("badw"))
                    .will(Ids.topic("badw"), "x", 0, false, Mqtt5.props().u16(Mqtt5.TOPIC_ALIAS, 1)).build());
            assertClosedMaybeAfterConnack(c, 0x82);
        }
        assertTrue(broker.isAlive());
    }

    /** The connection closes, with no packet or with only a CONNACK refusing with {@code reason}. */
    private static void assertClosedMaybeAfterConnack(RawClient c, int reason) {
        Packet p = c.poll(CLOSE_WAIT);
        assertNotNull(p, "the broker neither answered nor closed within " + CLOSE_WAIT);
        if (!p.isClosed()) {
            Packet5 connack = Packet5.of(p);
            assertEquals(Mqtt.CONNACK, connack.type(), "only a refusing CONNACK may come first, got " + connack);
            assertEquals(reason, connack.reason(), "CONNACK " + connack);
            assertTrue(c.closedWithin(CLOSE_WAIT), "connection must close after " + connack);
        }
    }

    /** [MQTT-3.1.2-21] a server keep alive in CONNACK replaces the client's: max_keepalive 10 caps 60. */
    @Test
    void maxKeepaliveIsAnnouncedAsServerKeepAlive() {
        try (BrokerProcess b = BrokerProcess.start("max_keepalive 10"); RawClient c = RawClient.open(b.port())) {
            Packet5 connack = c.sendConnect5(Mqtt5.connect(Ids.client("mka")).keepAlive(60));
            assertEquals(0x00, connack.reason(), "CONNACK " + connack);
            assertEquals(10L, connack.number(Mqtt5.SERVER_KEEP_ALIVE), "server keep alive in " + connack);
        }
    }

    /** [MQTT-3.1.3-9] the will is published after the will delay interval, not at the disconnect. */
    @Test
    void willIsPublishedAfterTheWillDelay() {
        String topic = Ids.topic("wdelay");
        try (RawClient sub = RawClient.connect5(broker.port(), Ids.client("wdsub"))) {
            sub.subscribe5(topic, 0);
            long start;
            try (RawClient c = RawClient.connect5(broker.port(), Mqtt5.connect(Ids.client("wd"))
                    .props(Mqtt5.props().u32(Mqtt5.SESSION_EXPIRY, 30))
                    .will(topic, "gone", 0, false, Mqtt5.props().u32(Mqtt5.WILL_DELAY, 2)))) {
                c.ping();
                start = System.nanoTime();
            } // closed without DISCONNECT
            sub.assertNoPublish(Duration.ofMillis(1200));
            Packet5 will = sub.nextPublish5(Duration.ofSeconds(5));
            assertEquals("gone", will.payloadString());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 1500, "will published after " + ms + " ms, will delay is 2 s");
        }
    }

    /** [MQTT-3.1.3-9] a client that reconnects within the will delay interval stops the will. */
    @Test
    void willIsNotPublishedWhenTheClientReconnectsWithinTheDelay() {
        String topic = Ids.topic("wdre");
        String id = Ids.client("wdre");
        Mqtt5.Connect connect = Mqtt5.connect(id).props(Mqtt5.props().u32(Mqtt5.SESSION_EXPIRY, 30))
                .will(topic, "gone", 0, false, Mqtt5.props().u32(Mqtt5.WILL_DELAY, 2));
        try (RawClient sub = RawClient.connect5(broker.port(), Ids.client("wdresub"))) {
            sub.subscribe5(topic, 0);
            try (RawClient c = RawClient.connect5(broker.port(), connect)) {
                c.ping();
            }
            try (RawClient again = RawClient.connect5(broker.port(), Mqtt5.connect(id).cleanStart(false))) {
                assertTrue(again.connack5().sessionPresent());
                sub.assertNoPublish(Duration.ofMillis(3000));
                again.send(Mqtt5.disconnect(0x00, null));
            }
        }
    }

    /** [MQTT-3.14.4-3] DISCONNECT 0x04 (disconnect with will message) publishes the will; 0x00 does not. */
    @Test
    void disconnectWithWillMessagePublishesTheWill() {
        String topic = Ids.topic("dww");
        try (RawClient sub = RawClient.connect5(broker.port(), Ids.client("dwwsub"))) {
            sub.subscribe5(topic, 0);
            try (RawClient c = RawClient.connect5(broker.port(),
                    Mqtt5.connect(Ids.client("dww")).will(topic, "normal", 0, false, null))) {
                c.send(Mqtt5.disconnect(0x00, null));
                assertTrue(c.closedWithin(CLOSE_WAIT));
            }
            sub.assertNoPublish(QUIET);
            try (RawClient c = RawClient.connect5(broker.port(),
                    Mqtt5.connect(Ids.client("dww")).will(topic, "with-will", 0, false, null))) {
                c.send(Mqtt5.disconnect(0x04, null));
                assertTrue(c.closedWithin(CLOSE_WAIT));
            }
            assertEquals("with-will", sub.nextPublish5().payloadString());
        }
    }

    /**
     * [MQTT-3.1.4-3] a second connection with the same client id: the old one gets DISCONNECT 0x8E,
     * then is closed. mosquitto 2.0.11 only closes it.
     */
    @Test
    void sessionTakeoverSendsDisconnect0x8EToTheOldConnection() {
        String id = Ids.client("take");
        try (RawClient old = RawClient.connect5(broker.port(), id)) {
            try (RawClient fresh = RawClient.connect5(broker.port(), id)) {
                if (Reference.expect(true, false)) {
                    old.expectDisconnect5(0x8E, CLOSE_WAIT);
                } else {
                    old.assertClosedWithoutPacket(CLOSE_WAIT);
                }
                fresh.ping();
            }
        }
    }
}
