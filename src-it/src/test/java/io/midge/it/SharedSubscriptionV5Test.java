package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A shared subscription {@code $share/GROUP/TOPIC} whose members speak different protocol
 * versions: two Paho v5 clients and one Paho 3.1.1 client. Each message goes to exactly one
 * member, and the broker spreads them over all members (mosquitto: round robin).
 */
class SharedSubscriptionV5Test {

    private static final int MESSAGES = 30;
    /** Once every message is in, how long a duplicate is given to show up. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void everyMessageGoesToExactlyOneMemberAndEveryMemberGetsSome() {
        String group = "g" + Ids.client("grp").replace("-", "");
        String t = Ids.topic("shared");
        String filter = "$share/" + group + "/" + t;
        try (Paho5 a = Paho5.connect(broker.port(), Ids.client("v5a"));
             Paho5 b = Paho5.connect(broker.port(), Ids.client("v5b"));
             Paho c = Paho.connect(broker.port(), Ids.client("v311"), true);
             Paho5 pub = Paho5.connect(broker.port(), Ids.client("pub"))) {
            assertEquals(1, a.subscribe(filter, 1), "SUBACK granted QoS 1");
            assertEquals(1, b.subscribe(filter, 1));
            c.subscribe(filter, 1);

            for (int i = 0; i < MESSAGES; i++) {
                pub.publish(t, "m" + i, 1, false);
            }

            List<String> gotA = new ArrayList<>();
            List<String> gotB = new ArrayList<>();
            List<String> gotC = new ArrayList<>();
            Await.until(Duration.ofSeconds(10), () -> {
                drain(a, gotA);
                drain(b, gotB);
                drainV311(c, gotC);
                return gotA.size() + gotB.size() + gotC.size() >= MESSAGES;
            }, () -> "all " + MESSAGES + " messages; got " + gotA + " " + gotB + " " + gotC);
            BrokerProcess.sleepQuietly(QUIET.toMillis());
            drain(a, gotA);
            drain(b, gotB);
            drainV311(c, gotC);

            Map<String, List<String>> byMember = new TreeMap<>(Map.of("v5 a", gotA, "v5 b", gotB, "3.1.1 c", gotC));
            List<String> all = new ArrayList<>();
            byMember.values().forEach(all::addAll);
            assertEquals(MESSAGES, all.size(), "exactly " + MESSAGES + " deliveries in total: " + byMember);
            TreeSet<String> distinct = new TreeSet<>(all);
            assertEquals(MESSAGES, distinct.size(), "no message twice: " + byMember);
            byMember.forEach((member, got) -> assertTrue(!got.isEmpty(), member + " got some: " + byMember));
        }
    }

    private static void drain(Paho5 member, List<String> into) {
        Paho5.Msg m;
        while ((m = member.poll(Duration.ZERO)) != null) {
            into.add(m.payload());
        }
    }

    private static void drainV311(Paho member, List<String> into) {
        Paho.Msg m;
        while ((m = member.poll(Duration.ZERO)) != null) {
            into.add(m.payload());
        }
    }
}
