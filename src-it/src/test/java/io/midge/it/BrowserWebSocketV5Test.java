package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT.js in headless Chromium over {@code ws://} with {@code protocolVersion: 5}, as
 * {@link BrowserWebSocketTest} runs it (same node script and page, target version 5): the browser
 * publishes with user properties and receives them back, receives a retained message a Paho v5
 * client left with user properties, and its last publish reaches that TCP client with its user
 * properties. Needs {@code chromium} and {@code npm ci} in src-it, as BrowserWebSocketTest does.
 * One broker:
 * <pre>
 * listener P0 127.0.0.1
 * allow_anonymous true
 * listener P1 127.0.0.1
 * protocol websockets
 * </pre>
 */
class BrowserWebSocketV5Test {

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
                "protocol websockets"), p);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void mqttJsSpeaksMqtt5OverWebSocketWithUserProperties() throws Exception {
        String t = Ids.topic("browser5");
        String prefix = t + "/ws5";
        String browserId = Ids.client("br-ws5");
        try (Paho5 tcpClient = Paho5.connect(tcp, Ids.client("br5-tcp"))) {
            tcpClient.subscribe(prefix + "/done", 1);
            tcpClient.publish(prefix + "/retained", "retained-ws5", 1, true, Paho5.userProperties("kept", "by java"));

            String config = "{\"targets\":[{\"name\":\"ws5\",\"url\":\"ws://127.0.0.1:" + ws + "/mqtt\",\"prefix\":\""
                    + prefix + "\",\"clientId\":\"" + browserId + "\",\"version\":5}]}";
            String one = BrowserWebSocketTest.section(BrowserWebSocketTest.runBrowser(broker.dir(), config), "ws5");

            assertTrue(one.contains("\"connected\":true"), "connected with MQTT 5: " + one);
            assertTrue(one.contains("\"error\":null"), "without error: " + one);
            assertTrue(one.contains("\"subscribed\":[1]"), "SUBACK granted QoS 1: " + one);
            assertTrue(one.contains("{\"topic\":\"" + prefix + "/echo\",\"payload\":\"hello-" + browserId
                    + "\",\"retain\":false,\"userProperties\":{\"a\":\"1\",\"b\":[\"2\",\"3\"]}}"),
                    "its own publish came back with its user properties, the repeated key b kept twice: " + one);
            assertTrue(one.contains("{\"topic\":\"" + prefix + "/retained\",\"payload\":\"retained-ws5\",\"retain\":true,"
                    + "\"userProperties\":{\"kept\":\"by java\"}}"),
                    "the retained message with the user property the Java client set: " + one);

            Paho5.Msg done = tcpClient.next(Duration.ofSeconds(10), "the browser's last publish");
            assertEquals(prefix + "/done", done.topic());
            assertEquals("bye-" + browserId, done.payload());
            assertEquals(Paho5.pairs("from", "browser", "step", "done", "step", "last"), done.userProperties(),
                    "the browser's user properties, in order, reach a TCP client");

            tcpClient.publish(prefix + "/retained", "", 1, true); // clear
        }
    }
}
