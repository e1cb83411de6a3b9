package io.midge.it;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PUBLISH and its QoS 0 / 1 / 2 flows in both directions (MQTT 3.1.1 sections 3.3-3.7, 4.3, 4.4, 4.6). */
class PublishTest {

    static BrokerProcess broker;
    static final Duration QUIET = Duration.ofMillis(400);
    static final Duration IDLE = Duration.ofSeconds(5);

    @BeforeAll
    static void start() {
        // room for a publisher pipelining 1,000 messages ahead of a slower subscriber
        broker = BrokerProcess.start("max_queued_messages 5000");
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static RawClient client(String prefix) {
        return RawClient.connect(broker.port(), Ids.client(prefix));
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void pahoRoundTripAtEachQos(int qos) {
        String t = Ids.topic("paho" + qos);
        try (Paho sub = Paho.connect(broker.port(), Ids.client("psub"), true);
             Paho pub = Paho.connect(broker.port(), Ids.client("ppub"), true)) {
            sub.subscribe(t, qos);
            for (int i = 0; i < 5; i++) {
                pub.publish(t, "m" + i, qos, false);
            }
            for (int i = 0; i < 5; i++) {
                Paho.Msg m = sub.poll(IDLE);
                assertTrue(m != null, "message " + i + " not received");
                assertEquals("m" + i, m.payload());
                assertEquals(qos, m.qos());
                assertEquals(t, m.topic());
                assertFalse(m.retained());
            }
            assertEquals(null, sub.poll(QUIET));
        }
    }

    @Test
    void qos0PublishIsDeliveredWithoutPacketId() {
        String t = Ids.topic("q0");
        try (RawClient sub = client("q0sub"); RawClient pub = client("q0pub")) {
            sub.subscribe(t, 0);
            pub.publish(t, 0, "zero");
            Packet p = sub.nextPublish();
            assertArrayEquals(Mqtt.publish(t, 0, false, false, 0, Mqtt.bytes("zero")), p.bytes(), "exact bytes " + p);
        }
    }

    @Test
    void qos1InboundGetsExactPuback() {
        try (RawClient pub = client("q1ack")) {
            pub.send(Mqtt.publish(Ids.topic("q1ack"), 1, false, false, 0x0A0B, Mqtt.bytes("x")));
            assertArrayEquals(of(0x40, 0x02, 0x0A, 0x0B), pub.read().bytes());
        }
    }

    @Test
    void outboundQosIsMinimumOfPublishedAndGranted() {
        String t = Ids.topic("minqos");
        try (RawClient q0 = client("min0"); RawClient q1 = client("min1"); RawClient q2 = client("min2");
             RawClient pub = client("minpub")) {
            q0.subscribe(t, 0);
            q1.subscribe(t, 1);
            q2.subscribe(t, 2);
            q1.autoAck(true);
            q2.autoAck(true);
            pub.publish(t, 2, "published-q2");
            Packet p0 = q0.nextPublish();
            Packet p1 = q1.nextPublish();
            Packet p2 = q2.nextPublish();
            assertEquals(0, p0.qos());
            assertEquals(0x30, p0.header(), "QoS 0 header: " + p0);
            assertEquals(1, p1.qos(), "QoS 2 publish to a QoS 1 subscription: " + p1);
            assertNotEquals(0, p1.packetId(), "QoS 1 delivery carries a packet id");
            assertEquals(2, p2.qos());
            assertNotEquals(0, p2.packetId());
            for (Packet p : List.of(p0, p1, p2)) {
                assertEquals("published-q2", p.payloadString());
            }
            pub.publish(t, 1, "published-q1");
            assertEquals(0, q0.nextPublish().qos());
            assertEquals(1, q1.nextPublish().qos());
            assertEquals(1, q2.nextPublish().qos(), "QoS 1 publish to a QoS 2 subscription");
        }
    }

    @Test
    void qos2InboundIsDeliveredExactlyOnceDespiteDuplicate() {
        String t = Ids.topic("exactly-once");
        try (RawClient sub = client("eosub"); RawClient pub = client("eopub")) {
            sub.subscribe(t, 2);
            sub.autoAck(true);
            byte[] publish = Mqtt.publish(t, 2, false, false, 7, Mqtt.bytes("once"));
            pub.send(publish);
            assertArrayEquals(of(0x50, 0x02, 0x00, 0x07), pub.read().bytes(), "PUBREC");
            pub.send(Mqtt.publish(t, 2, false, true, 7, Mqtt.bytes("once"))); // resend with DUP before PUBREL
            assertArrayEquals(of(0x50, 0x02, 0x00, 0x07), pub.read().bytes(), "PUBREC for the duplicate");
            pub.send(Mqtt.pubrel(7));
            assertArrayEquals(of(0x70, 0x02, 0x00, 0x07), pub.read().bytes(), "PUBCOMP");

            Packet p = sub.nextPublish();
            assertEquals("once", p.payloadString());
            assertEquals(2, p.qos());
            sub.assertNoPublish(QUIET);

            // after PUBCOMP the packet id is free again: id 7 now carries a new message
            pub.send(Mqtt.publish(t, 2, false, false, 7, Mqtt.bytes("again")));
            assertArrayEquals(of(0x50, 0x02, 0x00, 0x07), pub.read().bytes());
            pub.send(Mqtt.pubrel(7));
            assertArrayEquals(of(0x70, 0x02, 0x00, 0x07), pub.read().bytes());
            assertEquals("again", sub.nextPublish().payloadString());
        }
    }

    /**
     * Inbound QoS 2 is stored on PUBLISH and delivered on PUBREL, once. A copy of the unreleased
     * PUBLISH (same packet id, topic, QoS and payload) is a duplicate whatever its DUP flag says:
     * it gets PUBREC again and changes nothing.
     */
    @ParameterizedTest(name = "copy before PUBREL: {0}")
    @ValueSource(strings = {"none", "with DUP", "without DUP"})
    void qos2InboundIsHeldUntilPubrelAndDeliveredOnce(String copy) {
        String t = Ids.topic("held");
        try (RawClient sub = client("heldsub"); RawClient pub = client("heldpub")) {
            sub.subscribe(t, 2);
            sub.autoAck(true);
            pub.send(Mqtt.publish(t, 2, false, false, 11, Mqtt.bytes("one")));
            assertArrayEquals(of(0x50, 0x02, 0x00, 0x0B), pub.read().bytes(), "PUBREC");
            if (!copy.equals("none")) {
                pub.send(Mqtt.publish(t, 2, false, copy.equals("with DUP"), 11, Mqtt.bytes("one")));
                assertArrayEquals(of(0x50, 0x02, 0x00, 0x0B), pub.read().bytes(), "PUBREC for the copy");
            }
            sub.assertNoPublish(QUIET); // stored, not yet delivered
            pub.send(Mqtt.pubrel(11));
            assertArrayEquals(of(0x70, 0x02, 0x00, 0x0B), pub.read().bytes(), "PUBCOMP");
            assertEquals("one", sub.nextPublish().payloadString(), "delivered on PUBREL");
            sub.assertNoPublish(QUIET);
        }
    }

    /** mosquitto 2.0.11 takes a third identical copy of an unreleased QoS 2 PUBLISH as a protocol error. */
    @ParameterizedTest(name = "copies with DUP {0}")
    @ValueSource(booleans = {true, false})
    void qos2ThirdCopyBeforePubrelClosesTheConnection(boolean dup) {
        String t = Ids.topic("third");
        try (RawClient sub = client("thirdsub"); RawClient pub = client("thirdpub")) {
            sub.subscribe(t, 2);
            pub.send(Mqtt.publish(t, 2, false, false, 12, Mqtt.bytes("x")));
            pub.awaitAck(Mqtt.PUBREC, 12);
            pub.send(Mqtt.publish(t, 2, false, dup, 12, Mqtt.bytes("x")));
            pub.awaitAck(Mqtt.PUBREC, 12);
            pub.send(Mqtt.publish(t, 2, false, dup, 12, Mqtt.bytes("x")));
            pub.assertClosedWithoutPacket(RawClient.TIMEOUT);
            sub.assertNoPublish(QUIET); // the publisher's clean session is gone, and the message with it
        }
    }

    /**
     * A different message (other payload) under the packet id of an unreleased one replaces it
     * ("Reused message ID ... Clearing from storage."): PUBREC, and on PUBREL only the new one is delivered.
     */
    @Test
    void qos2NewMessageUnderAnUnreleasedPacketIdReplacesTheStoredOne() {
        String t = Ids.topic("reuse");
        try (RawClient sub = client("reusesub"); RawClient pub = client("reusepub")) {
            sub.subscribe(t, 2);
            sub.autoAck(true);
            pub.send(Mqtt.publish(t, 2, false, false, 13, Mqtt.bytes("old")));
            pub.awaitAck(Mqtt.PUBREC, 13);
            pub.send(Mqtt.publish(t, 2, false, false, 13, Mqtt.bytes("new")));
            pub.awaitAck(Mqtt.PUBREC, 13);
            pub.send(Mqtt.pubrel(13));
            pub.awaitAck(Mqtt.PUBCOMP, 13);
            assertEquals("new", sub.nextPublish().payloadString());
            sub.assertNoPublish(QUIET);
            pub.ping();
        }
    }

    /**
     * An acknowledgement of the wrong kind for an outbound message's packet id closes the
     * connection: PUBREC or PUBCOMP for QoS 1, PUBACK (before or after PUBREC) or an early PUBCOMP for QoS 2.
     */
    @ParameterizedTest(name = "QoS {0} delivery answered with {1}")
    @CsvSource({"1, PUBREC", "1, PUBCOMP", "2, PUBACK", "2, PUBCOMP", "2, PUBACK after PUBREC"})
    void wrongAcknowledgementForAnOutboundMessageClosesTheConnection(int qos, String ack) {
        int type = switch (ack.split(" ")[0]) {
            case "PUBACK" -> Mqtt.PUBACK;
            case "PUBREC" -> Mqtt.PUBREC;
            default -> Mqtt.PUBCOMP;
        };
        String t = Ids.topic("wrongack");
        try (RawClient sub = client("wacksub"); RawClient pub = client("wackpub")) {
            sub.subscribe(t, qos);
            pub.publish(t, qos, "m");
            Packet p = sub.nextPublish();
            assertEquals(qos, p.qos());
            if (ack.endsWith("after PUBREC")) {
                sub.send(Mqtt.pubrec(p.packetId()));
                sub.awaitAck(Mqtt.PUBREL, p.packetId()); // now waiting for PUBCOMP
            }
            sub.send(Mqtt.ack(type, p.packetId()));
            sub.assertClosedWithoutPacket(RawClient.TIMEOUT);
        }
    }

    @Test
    void repeatedPubrecAndPubrelForAnOutboundIdAreAnsweredAndKeepTheConnection() {
        String t = Ids.topic("rightack");
        try (RawClient sub = client("racksub"); RawClient pub = client("rackpub")) {
            sub.subscribe(t, 2);
            pub.publish(t, 2, "m");
            int id = sub.nextPublish().packetId();
            sub.send(Mqtt.pubrec(id));
            sub.awaitAck(Mqtt.PUBREL, id);
            sub.send(Mqtt.pubrec(id));
            sub.awaitAck(Mqtt.PUBREL, id); // a repeated PUBREC gets the PUBREL again
            sub.send(Mqtt.pubrel(id));
            sub.awaitAck(Mqtt.PUBCOMP, id); // PUBREL names an inbound id: an unknown one is completed
            sub.send(Mqtt.pubcomp(id));
            sub.ping();
        }
    }

    @Test
    void pubrelForUnknownPacketIdIsCompleted() {
        try (RawClient pub = client("pubrelunk")) {
            pub.send(Mqtt.pubrel(0x4242));
            assertArrayEquals(of(0x70, 0x02, 0x42, 0x42), pub.read().bytes(), "PUBCOMP");
        }
    }

    @Test
    void ackForUnknownPacketIdIsIgnored() {
        try (RawClient c = client("unkack")) {
            c.send(Mqtt.puback(0x1234));
            c.send(Mqtt.pubrec(0x1235));
            c.send(Mqtt.pubcomp(0x1236));
            c.ping(); // still connected
        }
    }

    @Test
    void qos2OutboundFlowUsesPubrecPubrelPubcomp() {
        String t = Ids.topic("q2out");
        try (RawClient sub = client("q2osub"); RawClient pub = client("q2opub")) {
            sub.subscribe(t, 2);
            pub.publish(t, 2, "flow");
            Packet p = sub.nextPublish();
            assertEquals(2, p.qos());
            assertFalse(p.dup());
            int id = p.packetId();
            assertNotEquals(0, id);
            sub.send(Mqtt.pubrec(id));
            Packet pubrel = sub.read();
            assertArrayEquals(of(0x62, 0x02, id >> 8, id & 0xFF), pubrel.bytes(), "PUBREL " + pubrel);
            sub.send(Mqtt.pubcomp(id));
            sub.ping(); // still connected and nothing else pending
            sub.assertNoPublish(QUIET);
        }
    }

    @Test
    void unackedQos1IsResentWithDupOnReconnect() {
        String id = Ids.client("dup1");
        String t = Ids.topic("dup1");
        try (RawClient sub = RawClient.connect(broker.port(), id, false)) {
            sub.subscribe(t, 1);
            try (RawClient pub = client("dup1pub")) {
                pub.publish(t, 1, "unacked");
            }
            Packet first = sub.nextPublish();
            assertFalse(first.dup());
            assertEquals(1, first.qos());
            sub.disconnect(); // without PUBACK

            try (RawClient again = RawClient.open(broker.port())) {
                assertArrayEquals(of(0x20, 0x02, 0x01, 0x00),
                        again.sendConnect(Mqtt.connect(id).cleanSession(false)).bytes());
                Packet resent = again.nextPublish();
                assertTrue(resent.dup(), "resent PUBLISH must have DUP=1: " + resent);
                assertEquals(first.packetId(), resent.packetId(), "same packet id");
                assertEquals("unacked", resent.payloadString());
                assertEquals(1, resent.qos());
                assertEquals(t, resent.topic());
                again.send(Mqtt.puback(resent.packetId()));
                again.assertNoPublish(QUIET);
                again.disconnect();
            }
        }
        cleanUp(id);
    }

    @Test
    void unackedQos2IsResentWithDupOnReconnect() {
        String id = Ids.client("dup2");
        String t = Ids.topic("dup2");
        try (RawClient sub = RawClient.connect(broker.port(), id, false)) {
            sub.subscribe(t, 2);
            try (RawClient pub = client("dup2pub")) {
                pub.publish(t, 2, "no-pubrec");
            }
            Packet first = sub.nextPublish();
            sub.close(); // network drop, no PUBREC

            try (RawClient again = RawClient.open(broker.port())) {
                assertArrayEquals(of(0x20, 0x02, 0x01, 0x00),
                        again.sendConnect(Mqtt.connect(id).cleanSession(false)).bytes());
                Packet resent = again.nextPublish();
                assertTrue(resent.dup(), "resent PUBLISH must have DUP=1: " + resent);
                assertEquals(first.packetId(), resent.packetId());
                assertEquals("no-pubrec", resent.payloadString());
                assertEquals(2, resent.qos());
                again.send(Mqtt.pubrec(resent.packetId()));
                again.awaitAck(Mqtt.PUBREL, resent.packetId());
                again.send(Mqtt.pubcomp(resent.packetId()));
                again.assertNoPublish(QUIET);
                again.disconnect();
            }
        }
        cleanUp(id);
    }

    @Test
    void pubrelIsResentOnReconnectWhenPubcompWasMissing() {
        String id = Ids.client("rel");
        String t = Ids.topic("rel");
        try (RawClient sub = RawClient.connect(broker.port(), id, false)) {
            sub.subscribe(t, 2);
            try (RawClient pub = client("relpub")) {
                pub.publish(t, 2, "half-done");
            }
            Packet p = sub.nextPublish();
            sub.send(Mqtt.pubrec(p.packetId()));
            sub.awaitAck(Mqtt.PUBREL, p.packetId());
            sub.close(); // no PUBCOMP

            try (RawClient again = RawClient.open(broker.port())) {
                assertArrayEquals(of(0x20, 0x02, 0x01, 0x00),
                        again.sendConnect(Mqtt.connect(id).cleanSession(false)).bytes());
                Packet pubrel = again.read();
                int pid = p.packetId();
                assertArrayEquals(of(0x62, 0x02, pid >> 8, pid & 0xFF), pubrel.bytes(),
                        "PUBREL resent (not the PUBLISH): " + pubrel);
                again.send(Mqtt.pubcomp(pid));
                again.assertNoPublish(QUIET);
                again.disconnect();
            }
        }
        cleanUp(id);
    }

    @Test
    void thousandQos1MessagesOnOneTopicArriveInOrder() {
        String t = Ids.topic("order");
        int n = 1000;
        try (RawClient sub = client("ordsub"); RawClient pub = client("ordpub")) {
            sub.subscribe(t, 1);
            sub.autoAck(true);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < n; i++) {
                all.writeBytes(Mqtt.publish(t, 1, false, false, i + 1, Mqtt.bytes(Integer.toString(i))));
            }
            pub.send(all.toByteArray());
            List<String> got = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Packet p = sub.poll(IDLE);
                if (p == null || p.isClosed()) {
                    break;
                }
                got.add(p.payloadString());
            }
            assertEquals(n, got.size(), "received " + got.size() + " of " + n);
            for (int i = 0; i < n; i++) {
                assertEquals(Integer.toString(i), got.get(i), "message at position " + i);
            }
            Set<Integer> acked = collectAcks(pub, Mqtt.PUBACK, n);
            assertEquals(n, acked.size(), "PUBACKs received");
        }
    }

    @Test
    void qos2MessagesOnOneTopicArriveInOrder() {
        String t = Ids.topic("order2");
        int n = 200;
        try (Paho sub = Paho.connect(broker.port(), Ids.client("ord2sub"), true);
             Paho pub = Paho.connect(broker.port(), Ids.client("ord2pub"), true)) {
            sub.subscribe(t, 2);
            for (int i = 0; i < n; i++) {
                pub.publish(t, Integer.toString(i), 2, false);
            }
            List<Paho.Msg> got = sub.collect(n, IDLE);
            assertEquals(n, got.size(), "received");
            for (int i = 0; i < n; i++) {
                assertEquals(Integer.toString(i), got.get(i).payload(), "message at position " + i);
                assertEquals(2, got.get(i).qos());
            }
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    void fiveHundredPipelinedPublishesAreAllDelivered(int qos) {
        String t = Ids.topic("pipe" + qos);
        int n = 500;
        try (RawClient sub = client("pipesub"); RawClient pub = client("pipepub")) {
            sub.subscribe(t, qos);
            sub.autoAck(true);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 1; i <= n; i++) {
                all.writeBytes(Mqtt.publish(t, qos, false, false, i, Mqtt.bytes("p" + i)));
            }
            pub.send(all.toByteArray()); // all 500 in flight at once
            if (qos == 2) {
                Set<Integer> recs = collectAcks(pub, Mqtt.PUBREC, n);
                assertEquals(n, recs.size(), "PUBRECs received");
                ByteArrayOutputStream rels = new ByteArrayOutputStream();
                for (int id : recs) {
                    rels.writeBytes(Mqtt.pubrel(id));
                }
                pub.send(rels.toByteArray());
                assertEquals(n, collectAcks(pub, Mqtt.PUBCOMP, n).size(), "PUBCOMPs received");
            } else {
                assertEquals(n, collectAcks(pub, Mqtt.PUBACK, n).size(), "PUBACKs received");
            }
            Set<String> payloads = new HashSet<>();
            int total = 0;
            for (int i = 0; i < n + 10; i++) {
                Packet p = sub.poll(total < n ? IDLE : QUIET);
                if (p == null || p.isClosed()) {
                    break;
                }
                total++;
                payloads.add(p.payloadString());
            }
            // mosquitto 2.0.11 acknowledges every QoS 2 PUBLISH but keeps only max_inflight_messages
            // (20) of those awaiting PUBREL, dropping the rest; Midge keeps the window plus the queue.
            int kept = Reference.expect(n, qos == 2 ? 20 : n);
            assertEquals(kept, payloads.size(), "distinct messages delivered");
            assertEquals(kept, total, "deliveries (no duplicates)");
        }
    }

    @Test
    void publishToTopicWithoutSubscribersIsAcknowledged() {
        try (RawClient pub = client("nosub")) {
            pub.publish(Ids.topic("nobody"), 1, "a");
            pub.publish(Ids.topic("nobody"), 2, "b");
        }
    }

    @Test
    void publisherReceivesItsOwnMessageWhenSubscribed() {
        String t = Ids.topic("self");
        try (RawClient c = client("self")) {
            c.subscribe(t, 1);
            c.publish(t, 1, "echo");
            Packet p = c.nextPublish();
            assertEquals("echo", p.payloadString());
        }
    }

    @Test
    void utf8TopicAndBinaryPayloadArriveIntact() {
        String t = Ids.topic("utf8") + "/température/日本";
        byte[] payload = new byte[256];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        try (RawClient sub = client("utfsub"); RawClient pub = client("utfpub")) {
            sub.subscribe(t, 1);
            sub.autoAck(true);
            pub.publish(t, 1, false, payload);
            Packet p = sub.nextPublish();
            assertEquals(t, p.topic());
            assertArrayEquals(payload, p.payload());
        }
    }

    /** Reads acks of one type until {@code n} distinct ids are seen or the connection idles. */
    private static Set<Integer> collectAcks(RawClient c, int type, int n) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < n * 2 && ids.size() < n; i++) {
            Packet p = c.poll(IDLE);
            if (p == null || p.isClosed()) {
                break;
            }
            if (p.type() == type) {
                ids.add(p.ackId());
            }
        }
        return ids;
    }

    private static void cleanUp(String id) {
        try (RawClient c = RawClient.connect(broker.port(), id, true)) {
            c.disconnect();
        }
    }
}
