package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shared subscriptions ({@code $share/group/filter}, MQTT 5 section 4.8.2) from MQTT 3.1.1
 * clients, as mosquitto lets them: each message reaches one member of the group.
 */
class SharedSubscriptionTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration QUIET = Duration.ofMillis(300);
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private static Paho paho(String prefix) {
        return Paho.connect(broker.port(), Ids.client(prefix), true);
    }

    private static Set<String> numbers(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString).collect(Collectors.toSet());
    }

    /** Takes what the members receive until {@code total} messages came, or the deadline. */
    private static List<List<String>> receive(int total, Paho... members) {
        return receive(total, DEADLINE, members);
    }

    private static List<List<String>> receive(int total, Duration timeout, Paho... members) {
        List<List<String>> received = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            received.add(new ArrayList<>());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int count = 0;
        while (count < total && System.nanoTime() < deadline) {
            for (int i = 0; i < members.length; i++) {
                Paho.Msg m = members[i].poll(Duration.ofMillis(20));
                if (m != null) {
                    received.get(i).add(m.payload());
                    count++;
                }
            }
        }
        return received;
    }

    private static List<String> all(List<List<String>> received) {
        return received.stream().flatMap(List::stream).toList();
    }

    @Test
    void thirtyMessagesAreSplitAmongThreeMembers() {
        String topic = Ids.topic("share30");
        try (Paho a = paho("sha"); Paho b = paho("shb"); Paho c = paho("shc"); Paho pub = paho("shpub")) {
            for (Paho member : List.of(a, b, c)) {
                member.subscribe("$share/g/" + topic, 1);
            }
            for (int i = 0; i < 30; i++) {
                pub.publish(topic, Integer.toString(i), 1, false);
            }

            List<List<String>> received = receive(30, a, b, c);
            List<String> everything = all(received);
            assertEquals(30, everything.size(), "together exactly the 30: " + received);
            assertEquals(numbers(30), new HashSet<>(everything), "each once: " + received);
            received.forEach(one -> assertTrue(!one.isEmpty(), "every member gets some: " + received));
            for (Paho member : List.of(a, b, c)) {
                assertNull(member.poll(QUIET), "nothing more");
            }
        }
    }

    /** Direct subscribers and each group get their copy; two groups of one filter each get one. */
    @Test
    void eachGroupAndEachDirectSubscriberGetsEveryMessage() {
        String topic = Ids.topic("sharegroups");
        try (Paho g1 = paho("shg1"); Paho h1 = paho("shh1"); Paho h2 = paho("shh2"); Paho direct = paho("shd");
             Paho pub = paho("shgpub")) {
            g1.subscribe("$share/g/" + topic, 1);
            h1.subscribe("$share/h/" + topic, 1);
            h2.subscribe("$share/h/" + topic, 1);
            direct.subscribe(topic, 1);
            for (int i = 0; i < 4; i++) {
                pub.publish(topic, Integer.toString(i), 1, false);
            }

            assertEquals(numbers(4), new HashSet<>(all(receive(4, g1))));
            List<String> groupH = all(receive(4, h1, h2));
            assertEquals(4, groupH.size());
            assertEquals(numbers(4), new HashSet<>(groupH));
            assertEquals(numbers(4), new HashSet<>(all(receive(4, direct))));
        }
    }

    /**
     * The point of handing back (eclipse/mosquitto#2662): a member whose connection drops with QoS
     * 1 messages unacknowledged does not take them with it. mosquitto 2.0.11 loses them with the
     * member's clean session, and keeps them for its persistent one until it comes back.
     */
    @ParameterizedTest(name = "clean session {0}")
    @ValueSource(booleans = {true, false})
    void whatADroppedMemberHadNotAcknowledgedReachesTheOthers(boolean cleanSession) {
        String topic = Ids.topic("sharedrop");
        try (Paho stays = paho("shstay"); Paho pub = paho("shdpub")) {
            try (RawClient dropping = RawClient.connect(broker.port(), Ids.client("shdrop"), cleanSession)) {
                dropping.subscribe("$share/g/" + topic, 1);
                stays.subscribe("$share/g/" + topic, 1);
                for (int i = 0; i < 10; i++) {
                    pub.publish(topic, Integer.toString(i), 1, false);
                }
                List<String> staysGot = new ArrayList<>();
                Set<String> droppedPayloads = new HashSet<>();
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (staysGot.size() + droppedPayloads.size() < 10 && System.nanoTime() < deadline) {
                    Packet p = dropping.poll(Duration.ofMillis(20));
                    if (p != null && p.type() == Mqtt.PUBLISH) {
                        droppedPayloads.add(p.payloadString());
                    }
                    Paho.Msg m = stays.poll(Duration.ofMillis(20));
                    if (m != null) {
                        staysGot.add(m.payload());
                    }
                }
                int droppedGot = droppedPayloads.size();
                assertTrue(droppedGot > 0, "the member to drop got some, never acknowledged");
                assertEquals(10, staysGot.size() + droppedGot, "all 10 delivered once before the drop");
                dropping.close(); // the socket drops without DISCONNECT
                Set<String> beforeTheDrop = new HashSet<>(staysGot);
                staysGot.addAll(all(receive(droppedGot, Reference.expect(DEADLINE, QUIET), stays)));
                assertEquals(staysGot.size(), new HashSet<>(staysGot).size(), "each once: " + staysGot);
                assertEquals(Reference.expect(numbers(10), beforeTheDrop), new HashSet<>(staysGot));
            }
        }
    }

    @Test
    void noRetainedMessageOnASharedSubscribe() {
        String topic = Ids.topic("shareretain");
        try (Paho pub = paho("shrpub"); Paho member = paho("shr")) {
            pub.publish(topic, "kept", 1, true);
            try {
                member.subscribe("$share/g/" + topic, 1);
                Paho.Msg onSubscribe = member.poll(QUIET);
                assertEquals(Reference.expect(null, "kept"), onSubscribe == null ? null : onSubscribe.payload(),
                        "a share gets no retained message (MQTT 5 section 4.8.2); mosquitto 2.0.11 sends it to 3.1.1 clients");
                pub.publish(topic, "live", 1, true);
                assertEquals("live", member.poll(DEADLINE).payload(), "but live ones, retained or not");
            } finally {
                pub.publish(topic, "", 1, true);
            }
        }
    }

    /** mosquitto 2.0.11 grants these (and routes nothing sensible to them); the spec makes them invalid. */
    @Test
    void anInvalidShareIsRefused() {
        String topic = Ids.topic("shareinvalid");
        try (RawClient c = RawClient.connect(broker.port(), Ids.client("shinv"))) {
            int[] codes = c.subscribe("$share/g", 1, "$share//" + topic, 1, "$share/+/" + topic, 1, "$share/g/" + topic, 1);
            int refused = Reference.expect(0x80, 1);
            assertArrayEquals(new int[] {refused, refused, refused, 1}, codes);
        }
    }
}
