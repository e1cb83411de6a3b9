package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * memory_limit: once the broker holds that much for its clients, a PUBLISH costs its publisher
 * the connection and new clients are refused, as in mosquitto, each with one log line; what is
 * delivered frees the memory again.
 */
class MemoryLimitTest {

    private static final int LIMIT = 256 * 1024;
    private static final byte[] ONE_KIB = new byte[1024];
    private static final Duration LOG_WAIT = Duration.ofSeconds(5);

    @Test
    void aStalledSessionFillsTheLimitThenItsReturnFreesIt() {
        assumeFalse(BrokerProcess.isMosquitto(), "mosquitto refuses the returning subscriber too, so nothing frees its memory");
        try (BrokerProcess broker = BrokerProcess.start("memory_limit " + LIMIT, "max_queued_messages 0")) {
            String subscriber = Ids.client("memsub");
            String topic = Ids.topic("mem");
            try (RawClient sub = RawClient.connect(broker.port(), subscriber, false)) {
                sub.subscribe(topic, 1);
                sub.disconnect();
            }

            RawClient bystander = RawClient.connect(broker.port(), Ids.client("memby"));
            String publisher = Ids.client("mempub");
            int accepted = 0;
            try (RawClient pub = RawClient.connect(broker.port(), publisher)) {
                while (accepted < 2 * LIMIT / ONE_KIB.length) {
                    int id = pub.nextId();
                    pub.sendQuietly(Mqtt.publish(topic, 1, false, false, id, ONE_KIB));
                    Packet answer = pub.poll(RawClient.TIMEOUT);
                    if (answer == null || answer.isClosed()) {
                        break;
                    }
                    assertEquals(Mqtt.PUBACK, answer.type(), "answer to PUBLISH " + accepted);
                    accepted++;
                }
                assertTrue(pub.peerClosed() || pub.closedWithin(RawClient.TIMEOUT), "the publisher is disconnected");
            }
            // Each queued 1 KiB message costs a little more than 1 KiB: the limit is reached before 256 are taken.
            assertTrue(accepted > LIMIT / ONE_KIB.length / 2 && accepted < LIMIT / ONE_KIB.length,
                    "messages taken before memory_limit: " + accepted);
            broker.awaitLog("Client " + publisher + " disconnected due to out of memory.", LOG_WAIT);

            String newcomer = Ids.client("memnew");
            RawClient.assertConnectRefused(broker.port(), Mqtt.connect(newcomer), 3);
            broker.awaitLog("Client " + newcomer + " connection from 127.0.0.1 denied: memory_limit exceeded.", LOG_WAIT);
            String other = Ids.topic("memother");
            assertArrayEquals(new int[] {0x80}, bystander.subscribe(other, (Object) 1), "no new subscription at the limit");
            broker.awaitLog("subscription refused: memory_limit exceeded.", LOG_WAIT);

            int received = 0;
            try (RawClient sub = RawClient.connect(broker.port(), subscriber, false)) {
                for (Packet p; (p = sub.poll(Duration.ofSeconds(1))) != null && p.type() == Mqtt.PUBLISH; received++) {
                    sub.send(Mqtt.puback(p.packetId()));
                }
            }
            // Every message the broker acknowledged is delivered, including those that reached the
            // session's loop after the messages ahead of them had filled the limit.
            assertEquals(accepted, received, "delivered of the acknowledged");
            bystander.subscribe(other, 1);
            bystander.close();
            try (RawClient again = RawClient.connect(broker.port(), newcomer)) {
                again.publish(topic, 1, false, ONE_KIB);
            }
        }
    }

    /**
     * A connected subscriber that stops reading is where messages pile up: at the limit it is
     * disconnected, as mosquitto disconnects a client it cannot allocate an outgoing message for,
     * and what it held is freed for everyone else.
     */
    @Test
    void aSubscriberThatStopsReadingIsDisconnectedAtTheLimitAndTheBrokerRecovers() throws Exception {
        assumeFalse(BrokerProcess.isMosquitto(), "mosquitto may disconnect the publisher first, whichever allocation fails");
        try (BrokerProcess broker = BrokerProcess.start("memory_limit " + LIMIT, "max_queued_messages 0");
             Socket stalled = new Socket()) {
            String topic = Ids.topic("memstall");
            String subscriber = Ids.client("memstalled");
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(BrokerProcess.HOST, broker.port()));
            stalled.getOutputStream().write(Mqtt.connect(subscriber).build());
            stalled.getOutputStream().write(Mqtt.subscribe(1, topic, 1));
            stalled.getOutputStream().flush();
            broker.awaitLog("New client connected from", LOG_WAIT);

            String line = "Client " + subscriber + " disconnected due to out of memory.";
            for (int round = 0; round < 20 && !broker.logText().contains(line); round++) {
                // The publisher may be disconnected too, when its PUBLISH comes before the stalled session is freed.
                try (RawClient pub = RawClient.connect(broker.port(), Ids.client("memflood"))) {
                    for (int i = 0; i < 2 * LIMIT / ONE_KIB.length && !pub.peerClosed(); i++) {
                        pub.sendQuietly(Mqtt.publish(topic, 0, false, false, 0, ONE_KIB));
                    }
                    pub.closedWithin(Duration.ofMillis(200));
                } catch (AssertionError | RuntimeException refused) {
                    // refused while the limit still holds: the next round tries again
                }
            }
            broker.awaitLog(line, LOG_WAIT);
            Await.until(LOG_WAIT, () -> {
                try (RawClient c = RawClient.open(broker.port())) {
                    Packet connack = c.sendConnectQuietly(Mqtt.connect(Ids.client("memafter")));
                    return connack != null && RawClient.connackCode(connack) == 0;
                }
            }, "a new client is accepted once the stalled subscriber's queue is freed");
        }
    }
}
