package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
                for (Packet p; received < accepted && (p = sub.nextPublish()) != null; received++) {
                    sub.send(Mqtt.puback(p.packetId()));
                }
                sub.ping();
            }
            assertEquals(accepted, received, "every message the broker acknowledged is delivered");
            bystander.subscribe(other, 1);
            bystander.close();
            try (RawClient again = RawClient.connect(broker.port(), newcomer)) {
                again.publish(topic, 1, false, ONE_KIB);
            }
        }
    }
}
