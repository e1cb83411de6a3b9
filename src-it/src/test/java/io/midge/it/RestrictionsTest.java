package io.midge.it;

import static io.midge.it.Mqtt.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Options that restrict what clients may do, each test with its own broker:
 * <ul>
 * <li>{@code message_size_limit N}: a PUBLISH whose payload is over N bytes is dropped but its QoS
 *     flow completes (PUBACK; PUBREC, then PUBCOMP for the PUBREL), the connection stays open, and
 *     nothing is delivered or retained; a will over the limit gets CONNACK 5;
 * <li>{@code max_qos 1} (a listener option): SUBACK grants at most 1, a QoS 2 PUBLISH closes the
 *     connection without PUBREC, a QoS 2 will closes it without CONNACK;
 * <li>{@code clientid_prefixes p-}: a client id that does not start with {@code p-} (case
 *     sensitive; a generated one included) gets CONNACK 5, "not authorised";
 * <li>{@code use_username_as_clientid true} (a listener option): the user name replaces the client
 *     id, so two client ids with one user name take each other over and share one session; no
 *     user name gets CONNACK 5.
 * </ul>
 */
class RestrictionsTest {

    static final Duration QUIET = Duration.ofMillis(400);
    static final Duration LOG_WAIT = Duration.ofSeconds(5);

    // ------------------------------------------------------------------ message_size_limit

    @Test
    void publishOverMessageSizeLimitIsAcknowledgedAndDropped() {
        try (BrokerProcess b = BrokerProcess.start("message_size_limit 100")) {
            String t = Ids.topic("limit");
            try (RawClient sub = RawClient.connect(b.port(), Ids.client("limsub"));
                 RawClient pub = RawClient.connect(b.port(), Ids.client("limpub"))) {
                sub.subscribe(t + "/#", 2);
                sub.autoAck(true);
                pub.send(Mqtt.publish(t + "/q0", 0, false, false, 0, new byte[101]));
                pub.send(Mqtt.publish(t + "/q1", 1, false, false, 1, new byte[101]));
                assertArrayEquals(of(0x40, 0x02, 0x00, 0x01), pub.read().bytes(), "PUBACK for the dropped QoS 1 PUBLISH");
                pub.send(Mqtt.publish(t + "/q2", 2, false, false, 2, new byte[101]));
                assertArrayEquals(of(0x50, 0x02, 0x00, 0x02), pub.read().bytes(), "PUBREC for the dropped QoS 2 PUBLISH");
                pub.send(Mqtt.pubrel(2));
                assertArrayEquals(of(0x70, 0x02, 0x00, 0x02), pub.read().bytes(), "PUBCOMP");
                pub.send(Mqtt.publish(t + "/r", 1, true, false, 3, new byte[101]));
                assertArrayEquals(of(0x40, 0x02, 0x00, 0x03), pub.read().bytes(), "PUBACK for the dropped retained PUBLISH");
                pub.publish(t + "/at-limit", 1, false, new byte[100]);
                Packet p = sub.nextPublish();
                assertEquals(t + "/at-limit", p.topic(), "only the PUBLISH within the limit is delivered: " + p);
                assertEquals(100, p.payload().length);
                sub.assertNoPublish(QUIET);
                pub.ping(); // still connected
            }
            try (RawClient later = RawClient.connect(b.port(), Ids.client("limlate"))) {
                later.subscribe(t + "/#", 1);
                later.assertNoPublish(QUIET); // the oversized retained message was not kept
            }
        }
    }

    @Test
    void willOverMessageSizeLimitGetsConnackNotAuthorised() {
        try (BrokerProcess b = BrokerProcess.start("message_size_limit 100")) {
            int mark = b.logLength();
            RawClient.assertConnectRefused(b.port(), Mqtt.connect(Ids.client("limw")).will(Ids.topic("w"), "y".repeat(101), 0, false), 5);
            b.awaitExactLogLine(mark, "Client <unknown> disconnected due to oversize payload.", LOG_WAIT);
            try (RawClient c = RawClient.connect(b.port(), Mqtt.connect(Ids.client("limw")).will(Ids.topic("w"), "y".repeat(100), 0, false))) {
                c.disconnect(); // a will exactly at the limit is fine
            }
        }
    }

    // ------------------------------------------------------------------ max_qos

    @Test
    void maxQos1GrantsAtMost1AndClosesOnQos2Publish() {
        try (BrokerProcess b = BrokerProcess.start("max_qos 1")) {
            String t = Ids.topic("maxqos");
            String pubId = Ids.client("mqpub");
            try (RawClient sub = RawClient.connect(b.port(), Ids.client("mqsub"));
                 RawClient pub = RawClient.connect(b.port(), pubId)) {
                assertArrayEquals(new int[] {1, 1, 0}, sub.subscribe(t + "/#", 2, t + "/1", 1, t + "/0", 0), "SUBACK codes");
                sub.autoAck(true);
                pub.publish(t + "/x", 1, "q1");
                Packet p = sub.nextPublish();
                assertEquals("q1", p.payloadString());
                assertEquals(1, p.qos());
                int mark = b.logLength();
                pub.send(Mqtt.publish(t + "/x", 2, false, false, 7, Mqtt.bytes("q2")));
                pub.assertClosedWithoutPacket(RawClient.TIMEOUT);
                sub.assertNoPublish(QUIET);
                b.awaitExactLogLine(mark, "Too high QoS in PUBLISH from " + pubId + ", disconnecting.", LOG_WAIT);
            }
        }
    }

    @Test
    void maxQos1ClosesAConnectWithAQos2Will() {
        try (BrokerProcess b = BrokerProcess.start("max_qos 1")) {
            RawClient.assertConnectClosedWithoutConnack(b.port(), Mqtt.connect(Ids.client("mqw")).will(Ids.topic("w"), "w", 2, false));
            try (RawClient c = RawClient.connect(b.port(), Mqtt.connect(Ids.client("mqw")).will(Ids.topic("w"), "w", 1, false))) {
                c.disconnect();
            }
        }
    }

    // ------------------------------------------------------------------ clientid_prefixes

    @Test
    void clientIdWithoutThePrefixGetsConnackNotAuthorised() {
        try (BrokerProcess b = BrokerProcess.start("clientid_prefixes p-")) {
            for (String id : new String[] {"x-" + Ids.client("cp"), "P-" + Ids.client("cp"), "p", ""}) {
                int mark = b.logLength();
                RawClient.assertConnectRefused(b.port(), Mqtt.connect(id), 5);
                b.awaitExactLogLine(mark, "Client <unknown> disconnected, not authorised.", LOG_WAIT);
            }
            try (RawClient c = RawClient.connect(b.port(), "p-" + Ids.client("cp"))) {
                c.ping();
            }
        }
    }

    // ------------------------------------------------------------------ use_username_as_clientid

    @Test
    void userNameReplacesTheClientId() {
        try (BrokerProcess b = BrokerProcess.start("use_username_as_clientid true")) {
            String user = Ids.client("uu");
            String topic = Ids.topic("uu");
            int mark = b.logLength();
            try (RawClient first = RawClient.connect(b.port(), Mqtt.connect(Ids.client("one")).username(user).cleanSession(false))) {
                b.awaitExactLogLine(mark, "New client connected from 127.0.0.1:" + first.localPort() + " as " + user
                        + " (p2, c0, k60, u'" + user + "').", LOG_WAIT);
                first.subscribe(topic, 1);
                try (RawClient second = RawClient.open(b.port()).autoAck(true)) {
                    Packet connack = second.sendConnect(Mqtt.connect(Ids.client("two")).username(user).cleanSession(false));
                    assertArrayEquals(of(0x20, 0x02, 0x01, 0x00), connack.bytes(), "another client id, the same user: the same session");
                    assertTrue(first.closedWithin(RawClient.TIMEOUT), "the first connection is taken over");
                    try (RawClient pub = RawClient.connect(b.port(), Mqtt.connect(Ids.client("uupub")).username(Ids.client("p")))) {
                        pub.publish(topic, 1, "to-the-user");
                    }
                    assertEquals("to-the-user", second.nextPublish().payloadString());
                    second.disconnect();
                }
            }
        }
    }

    @Test
    void noUserNameGetsConnackNotAuthorisedWhenTheUserNameIsTheClientId() {
        try (BrokerProcess b = BrokerProcess.start("use_username_as_clientid true")) {
            String id = Ids.client("uuanon");
            int mark = b.logLength();
            RawClient.assertConnectRefused(b.port(), Mqtt.connect(id), 5);
            b.awaitExactLogLine(mark, "Client " + id + " disconnected, not authorised.", LOG_WAIT);
        }
    }
}
