package io.midge.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input, in bulk: connections that send random bytes, before or after a valid CONNECT,
 * are closed, and the broker keeps serving everyone else. A fixed seed keeps failures repeatable.
 */
class GarbageInputTest {

    private static final int CONNECTIONS = 150;
    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void randomBytesNeverHurtOtherClients() {
        SplittableRandom random = new SplittableRandom(20261123);
        try (RawClient bystander = RawClient.connect(broker.port(), Ids.client("bystander"))) {
            bystander.subscribe("garbage/check", 1);
            List<RawClient> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    RawClient attacker = i % 2 == 0
                            ? RawClient.open(broker.port())
                            : RawClient.connect(broker.port(), Ids.client("garbage" + i));
                    byte[] junk = new byte[1 + random.nextInt(4096)];
                    random.nextBytes(junk);
                    attacker.sendQuietly(junk);
                    attackers.add(attacker);
                }
                for (RawClient attacker : attackers) {
                    // Either the broker closed it, or the junk is a prefix of a packet it still waits for.
                    attacker.closedWithin(Duration.ofMillis(20));
                }
            } finally {
                attackers.forEach(RawClient::close);
            }
            try (RawClient publisher = RawClient.connect(broker.port(), Ids.client("afterwards"))) {
                publisher.publish("garbage/check", 1, "still here");
                assertEquals("still here", bystander.nextPublish(Duration.ofSeconds(5)).payloadString());
            }
        }
        assertTrue(broker.isAlive(), "broker process still running");
    }
}
