package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT over WebSocket ({@code protocol websockets}), driven by a hand-written client
 * ({@link WebSocketClient}) so every frame is under the test's control: the HTTP upgrade with
 * subprotocol {@code mqtt} or {@code mqttv3.1} on any request path, a packet split across
 * fragments of one message and across two messages, several packets in one frame; MQTT comes
 * back in binary frames. One broker for the class:
 * <pre>
 * listener P0 127.0.0.1
 * allow_anonymous true
 * listener P1 127.0.0.1
 * protocol websockets
 * </pre>
 * The browser test (MQTT.js in Chromium) is {@link BrowserWebSocketTest}; wss:// is in {@link TlsTest}.
 */
class WebSocketTest {

    static BrokerProcess broker;
    static int tcp;
    static int ws;

    @BeforeAll
    static void start() {
        int[] p = BrokerProcess.freePorts(2);
        tcp = p[0];
        ws = p[1];
        broker = BrokerProcess.startConfig(List.of(
                "listener " + tcp + " 127.0.0.1",
                "allow_anonymous true",
                "listener " + ws + " 127.0.0.1",
                "protocol websockets"), tcp, ws);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Every data frame the server sent is binary (or a continuation of a binary message) and there was one. */
    static void assertAllBinary(WebSocketClient c) {
        List<Integer> opcodes = c.serverDataOpcodes();
        assertFalse(opcodes.isEmpty(), "the server sent no data frame");
        assertEquals(WebSocketClient.BINARY, opcodes.get(0), "first data frame opcode, all: " + opcodes);
        assertTrue(opcodes.stream().allMatch(o -> o == WebSocketClient.BINARY || o == WebSocketClient.CONTINUATION),
                "MQTT must come in binary frames; opcodes " + opcodes);
    }

    @Test
    void upgradeWithSubprotocolMqttThenConnectAndPingInBinaryFrames() {
        WebSocketClient c = WebSocketClient.connect(ws, "/mqtt", "mqtt");
        try (RawClient mqtt = RawClient.over(c.asSocket())) {
            assertEquals(101, c.handshake().status(), c.handshake().statusLine());
            assertEquals("mqtt", c.handshake().header("Sec-WebSocket-Protocol"));
            RawClient.connected(mqtt, Mqtt.connect(Ids.client("ws-mqtt")));
            mqtt.ping();
            mqtt.disconnect();
        }
        assertAllBinary(c);
    }

    @Test
    void subprotocolMqttv31IsAcceptedToo() {
        WebSocketClient c = WebSocketClient.connect(ws, "/mqtt", "mqttv3.1");
        try (RawClient mqtt = RawClient.over(c.asSocket())) {
            assertEquals(101, c.handshake().status(), c.handshake().statusLine());
            assertEquals("mqttv3.1", c.handshake().header("Sec-WebSocket-Protocol"));
            RawClient.connected(mqtt, Mqtt.connect(Ids.client("ws-v31")));
            mqtt.ping();
        }
        assertAllBinary(c);
    }

    @Test
    void anyRequestPathIsAccepted() {
        for (String path : new String[] {"/", "/mqtt", "/some/other/path", "/ws?token=abc"}) {
            WebSocketClient c = WebSocketClient.connect(ws, path, "mqtt");
            try (RawClient mqtt = RawClient.over(c.asSocket())) {
                assertEquals(101, c.handshake().status(), path + ": " + c.handshake().statusLine());
                RawClient.connected(mqtt, Mqtt.connect(Ids.client("ws-path")));
                mqtt.ping();
            }
        }
    }

    @Test
    void connectSplitAcrossABinaryFrameAndAContinuationFrame() {
        WebSocketClient c = WebSocketClient.connect(ws, "/mqtt", "mqtt");
        byte[] connect = Mqtt.connect(Ids.client("ws-frag")).build();
        int cut = 7; // inside the protocol name
        c.sendFrame(false, WebSocketClient.BINARY, Arrays.copyOfRange(connect, 0, cut));
        c.sendFrame(true, WebSocketClient.CONTINUATION, Arrays.copyOfRange(connect, cut, connect.length));
        try (RawClient mqtt = RawClient.over(c.asSocket())) {
            Packet connack = mqtt.expect(Mqtt.CONNACK);
            assertArrayEquals(Mqtt.of(0x20, 0x02, 0x00, 0x00), connack.bytes());
            mqtt.ping();
        }
        assertAllBinary(c);
    }

    @Test
    void twoPacketsInOneFrameAreBothHandled() {
        String t = Ids.topic("ws-two");
        WebSocketClient c = WebSocketClient.connect(ws, "/mqtt", "mqtt");
        // CONNECT + SUBSCRIBE in one frame
        c.sendBinary(Mqtt.concat(Mqtt.connect(Ids.client("ws-two")).build(), Mqtt.subscribe(1, t, 1)));
        try (RawClient mqtt = RawClient.over(c.asSocket())) {
            assertArrayEquals(Mqtt.of(0x20, 0x02, 0x00, 0x00), mqtt.expect(Mqtt.CONNACK).bytes());
            assertArrayEquals(Mqtt.of(0x90, 0x03, 0x00, 0x01, 0x01), mqtt.expect(Mqtt.SUBACK).bytes());
            // two PUBLISHes to the own subscription, QoS 1, in one frame
            c.sendBinary(Mqtt.concat(
                    Mqtt.publish(t, 1, false, false, 10, Mqtt.bytes("first")),
                    Mqtt.publish(t, 1, false, false, 11, Mqtt.bytes("second"))));
            mqtt.awaitAck(Mqtt.PUBACK, 10);
            mqtt.awaitAck(Mqtt.PUBACK, 11);
            Packet p1 = mqtt.nextPublish();
            mqtt.send(Mqtt.puback(p1.packetId()));
            Packet p2 = mqtt.nextPublish();
            mqtt.send(Mqtt.puback(p2.packetId()));
            assertEquals("first", p1.payloadString());
            assertEquals("second", p2.payloadString());
        }
        assertAllBinary(c);
    }

    @Test
    void onePacketSplitAcrossTwoMessagesIsReassembled() {
        String t = Ids.topic("ws-split");
        try (RawClient watcher = RawClient.connect(tcp, Ids.client("ws-watch"))) {
            watcher.subscribe(t, 0);
            WebSocketClient c = WebSocketClient.connect(ws, "/mqtt", "mqtt");
            try (RawClient mqtt = RawClient.over(c.asSocket())) {
                RawClient.connected(mqtt, Mqtt.connect(Ids.client("ws-split")));
                byte[] publish = Mqtt.publish(t, 0, false, false, 0, Mqtt.bytes("split-over-two-messages"));
                int cut = publish.length / 2;
                // two complete binary messages, each holding half of one PUBLISH
                c.sendBinary(Arrays.copyOfRange(publish, 0, cut));
                c.sendBinary(Arrays.copyOfRange(publish, cut, publish.length));
                Packet p = watcher.nextPublish();
                assertEquals(t, p.topic());
                assertEquals("split-over-two-messages", p.payloadString());
                mqtt.ping();
            }
        }
    }

    @Test
    void messagesCrossBetweenTcpAndWebSocketClientsIncludingALargeOne() {
        String t = Ids.topic("ws-cross");
        byte[] big = new byte[100_000]; // over 65535: a frame with the 64-bit extended length
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        WebSocketClient c = WebSocketClient.connect(ws, "/mqtt", "mqtt");
        try (RawClient wsClient = RawClient.over(c.asSocket());
             RawClient tcpClient = RawClient.connect(tcp, Ids.client("ws-tcp"))) {
            RawClient.connected(wsClient, Mqtt.connect(Ids.client("ws-cross")));
            wsClient.subscribe(t + "/to-ws", 1);
            tcpClient.subscribe(t + "/to-tcp", 1);
            tcpClient.publish(t + "/to-ws", 1, false, big);
            wsClient.publish(t + "/to-tcp", 1, "hello-from-ws");
            Packet atWs = wsClient.nextPublish();
            wsClient.send(Mqtt.puback(atWs.packetId()));
            assertArrayEquals(big, atWs.payload(), "100 kB payload delivered over WebSocket");
            Packet atTcp = tcpClient.nextPublish();
            tcpClient.send(Mqtt.puback(atTcp.packetId()));
            assertEquals("hello-from-ws", atTcp.payloadString());
        }
        assertAllBinary(c);
    }

    @Test
    void pahoOverWebSocket() {
        String t = Ids.topic("ws-paho");
        try (RawClient tcpClient = RawClient.connect(tcp, Ids.client("ws-ptcp"));
             Paho paho = Paho.connect("ws://" + BrokerProcess.HOST + ":" + ws + "/mqtt", Ids.client("ws-paho"), true, null)) {
            tcpClient.subscribe(t + "/out", 1);
            paho.subscribe(t + "/in", 1);
            paho.publish(t + "/out", "from-paho-ws", 1, false);
            Packet p = tcpClient.nextPublish();
            tcpClient.send(Mqtt.puback(p.packetId()));
            assertEquals("from-paho-ws", p.payloadString());
            tcpClient.publish(t + "/in", 1, "to-paho-ws");
            Paho.Msg m = paho.poll(RawClient.TIMEOUT);
            assertEquals("to-paho-ws", m == null ? null : m.payload());
        }
    }
}
