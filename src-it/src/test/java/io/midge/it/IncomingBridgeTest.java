package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker as the remote end of a mosquitto bridge: a bridge with {@code try_private true}
 * connects with the 0x80 bit in the protocol level (0x83 for 3.1, 0x84 for 3.1.1). mosquitto 2.0
 * accepts it, logs "New bridge connected" and gives its subscriptions no local and retain as
 * published: what the bridge publishes is never sent back to it, and a message published
 * retained reaches it retained.
 */
@WaitsMostly
class IncomingBridgeTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration QUIET = Duration.ofMillis(300);
    static final Duration LOG_WAIT = Duration.ofSeconds(5);

    private static Mqtt.Connect bridgeConnect(String clientId) {
        return Mqtt.connect(clientId).protocol("MQTT", 0x84);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1})
    void whatTheBridgePublishesIsNotSentBackToItButReachesOthers(int qos) {
        String t = Ids.topic("brnl");
        try (RawClient bridge = RawClient.connect(broker.port(), bridgeConnect(Ids.client("brnl")));
             RawClient client = RawClient.connect(broker.port(), Ids.client("brnlc"))) {
            bridge.subscribe(t + "/#", 1);
            client.subscribe(t + "/#", 1);
            bridge.publish(t + "/1", qos, false, "from the bridge");
            Packet got = client.nextPublish();
            assertEquals(t + "/1", got.topic());
            assertEquals("from the bridge", got.payloadString());
            bridge.assertNoPublish(QUIET);

            client.publish(t + "/1", qos, false, "from a client");
            Packet forwarded = bridge.nextPublish();
            assertEquals("from a client", forwarded.payloadString(), "others' messages do reach the bridge");
            assertEquals(qos, forwarded.qos());
        }
    }

    @Test
    void aMessagePublishedRetainedReachesTheBridgeRetainedButAClientWithout() {
        String t = Ids.topic("brrap");
        try (RawClient bridge = RawClient.connect(broker.port(), bridgeConnect(Ids.client("brrap")));
             RawClient client = RawClient.connect(broker.port(), Ids.client("brrapc"));
             RawClient publisher = RawClient.connect(broker.port(), Ids.client("brrapp"))) {
            bridge.subscribe(t + "/#", 1);
            client.subscribe(t + "/#", 1);
            publisher.publish(t + "/1", 1, true, "live and retained");
            Packet toBridge = bridge.nextPublish();
            assertEquals("live and retained", toBridge.payloadString());
            assertTrue(toBridge.retain(), "retain as published: " + toBridge);
            Packet toClient = client.nextPublish();
            assertFalse(toClient.retain(), "an ordinary subscription gets a live message with retain 0: " + toClient);

            publisher.publish(t + "/2", 1, false, "not retained");
            assertFalse(bridge.nextPublish().retain(), "a message published without retain stays without");
            publisher.publish(t + "/1", 0, true, ""); // clears the retained message
        }
    }

    @Test
    void retainedMessagesOnSubscribeStillReachTheBridgeRetained() {
        String t = Ids.topic("brret");
        try (RawClient publisher = RawClient.connect(broker.port(), Ids.client("brretp"))) {
            publisher.publish(t + "/1", 1, true, "kept");
        }
        try (RawClient bridge = RawClient.connect(broker.port(), bridgeConnect(Ids.client("brret")))) {
            bridge.subscribe(t + "/#", 1);
            Packet got = bridge.nextPublish();
            assertEquals("kept", got.payloadString());
            assertTrue(got.retain(), got.toString());
            bridge.publish(t + "/1", 0, true, "");
        }
    }

    @Test
    void aBridgeIsLoggedAsNewBridge() {
        String id = Ids.client("brlog");
        int mark = broker.process().logLength();
        try (RawClient bridge = RawClient.connect(broker.port(), bridgeConnect(id).cleanSession(false).keepAlive(60))) {
            String line = broker.process().awaitLogLineAfter(mark, LOG_WAIT, "as " + id);
            assertTrue(line.endsWith("New bridge connected from 127.0.0.1:" + bridge.localPort() + " as " + id + " (p2, c0, k60)."),
                    line);
            bridge.disconnect();
        }
        try (RawClient cleanup = RawClient.connect(broker.port(), bridgeConnect(id))) {
            cleanup.disconnect();
        }
    }

    @Test
    void aBridgeWithAUserNameIsLoggedWithIt() {
        String id = Ids.client("brusr");
        int mark = broker.process().logLength();
        try (RawClient bridge = RawClient.connect(broker.port(), bridgeConnect(id).username("alice"))) {
            String line = broker.process().awaitLogLineAfter(mark, LOG_WAIT, "as " + id);
            assertTrue(line.endsWith("New bridge connected from 127.0.0.1:" + bridge.localPort() + " as " + id
                    + " (p2, c1, k60, u'alice')."), line);
        }
    }

    @Test
    void anMqtt31BridgeIsAccepted() {
        String t = Ids.topic("br31");
        String id = Ids.client("br31");
        int mark = broker.process().logLength();
        try (RawClient bridge = RawClient.connect(broker.port(), Mqtt.connect(id).protocol("MQIsdp", 0x83));
             RawClient client = RawClient.connect(broker.port(), Ids.client("br31c"))) {
            assertTrue(broker.process().awaitLogLineAfter(mark, LOG_WAIT, "as " + id)
                    .endsWith("New bridge connected from 127.0.0.1:" + bridge.localPort() + " as " + id + " (p1, c1, k60)."));
            bridge.subscribe(t, 0);
            client.subscribe(t, 0);
            bridge.publish(t, 0, false, "3.1");
            assertEquals("3.1", client.nextPublish().payloadString());
            bridge.assertNoPublish(QUIET);
        }
    }

    @Test
    void anOrdinaryClientStillGetsItsOwnMessages() {
        String t = Ids.topic("brown");
        try (RawClient client = RawClient.connect(broker.port(), Ids.client("brown"))) {
            client.subscribe(t, 1);
            client.publish(t, 1, false, "echo");
            assertEquals("echo", client.nextPublish().payloadString());
        }
    }
}
