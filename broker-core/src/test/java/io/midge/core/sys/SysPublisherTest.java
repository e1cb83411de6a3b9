package io.midge.core.sys;

import io.midge.core.message.Message;
import io.midge.core.route.MemoryRetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.ClientConnection;
import io.midge.core.session.Session;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.core.store.BrokerStore;
import io.midge.core.store.Commit;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysPublisherTest {

    /** What mosquitto 2.0.11 publishes at its first update, in its order (clients/maximum comes once a client is counted). */
    static final List<String> FIRST_UPDATE = List.of("uptime", "clients/total", "clients/inactive",
            "clients/disconnected", "clients/active", "clients/connected", "clients/expired",
            "load/messages/received/1min", "load/messages/sent/1min", "load/publish/dropped/1min",
            "load/publish/received/1min", "load/publish/sent/1min", "load/bytes/received/1min", "load/bytes/sent/1min",
            "load/sockets/1min", "load/connections/1min",
            "load/messages/received/5min", "load/messages/sent/5min", "load/publish/dropped/5min",
            "load/publish/received/5min", "load/publish/sent/5min", "load/bytes/received/5min", "load/bytes/sent/5min",
            "load/sockets/5min", "load/connections/5min",
            "load/messages/received/15min", "load/messages/sent/15min", "load/publish/dropped/15min",
            "load/publish/received/15min", "load/publish/sent/15min", "load/bytes/received/15min",
            "load/bytes/sent/15min", "load/sockets/15min", "load/connections/15min",
            "messages/stored", "store/messages/count", "store/messages/bytes", "subscriptions/count",
            "shared_subscriptions/count", "retained messages/count", "heap/current", "heap/maximum",
            "messages/received", "messages/sent", "publish/messages/dropped", "publish/messages/received",
            "publish/messages/sent", "bytes/received", "bytes/sent", "publish/bytes/received", "publish/bytes/sent");

    private final MemoryRetainedStore retained = new MemoryRetainedStore();
    private final Router router = new Router(retained, true);
    private final BrokerStats stats = new BrokerStats();
    private final SessionRegistry sessions = new SessionRegistry(new SessionLimits(1000, 2, 0, false, false),
            router::discardSubscriptions, Clock.systemUTC(), BrokerStore.NONE, stats);
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicLong heap = new AtomicLong(5000);

    private SysPublisher publisher() {
        return new SysPublisher(router, sessions, stats, "1.2.3", now::get, heap::get);
    }

    private Map<String, String> retainedSys() {
        Map<String, String> values = new HashMap<>();
        retained.forEachMatching("$SYS/#", m -> values.put(m.topic().substring(SysPublisher.PREFIX.length()),
                new String(m.payload(), StandardCharsets.UTF_8)));
        return values;
    }

    /** A session subscribed to $SYS/#, recording what it is sent in order. */
    private final class Observer implements ClientConnection {
        final List<Map.Entry<String, String>> received = new ArrayList<>();
        final List<Integer> qos = new ArrayList<>();

        Observer(String clientId, boolean cleanSession) {
            this(clientId, cleanSession, "$SYS/#", 0);
        }

        Observer(String clientId, boolean cleanSession, String filter, int qos) {
            AtomicReference<Session> session = new AtomicReference<>();
            sessions.connect(clientId, cleanSession, ImmediateEventExecutor.INSTANCE, this, a -> session.set(a.session()));
            router.subscribe(session.get(), filter, qos);
        }

        Map<String, String> lastValues() {
            Map<String, String> values = new LinkedHashMap<>();
            received.forEach(e -> values.put(e.getKey(), e.getValue()));
            return values;
        }

        List<String> topics() {
            return received.stream().map(Map.Entry::getKey).toList();
        }

        @Override
        public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain) {
            received.add(Map.entry(message.topic().substring(SysPublisher.PREFIX.length()),
                    new String(message.payload(), StandardCharsets.UTF_8)));
            this.qos.add(qos);
        }

        @Override
        public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain, Commit after) {
            sendPublish(packetId, message, qos, dup, retain);
        }

        @Override public void sendPubRel(int packetId) { }
        @Override public boolean isWritable() { return true; }
        @Override public void closeTakenOver(boolean successorCleanSession) { }
        @Override public void recheckCredentials() { }
    }

    private static String load(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    @Test
    void firstUpdatePublishesMosquittosTopicsInItsOrderAtQos2() {
        Observer observer = new Observer("observer", true, "$SYS/#", 2);
        SysPublisher sys = publisher();
        sys.run();

        List<String> expected = new ArrayList<>(List.of("version"));
        expected.addAll(FIRST_UPDATE);
        expected.add(expected.indexOf("clients/inactive"), "clients/maximum"); // the observer is a client
        assertEquals(expected, observer.topics());
        assertTrue(observer.qos.stream().allMatch(q -> q == 2), "QoS 2 to a QoS 2 subscription: " + observer.qos);
        Map<String, String> values = observer.lastValues();
        assertEquals("midge version 1.2.3", values.get("version"));
        assertEquals("0 seconds", values.get("uptime"));
        for (String topic : FIRST_UPDATE) {
            if (topic.startsWith("load/")) {
                assertEquals("0.00", values.get(topic), topic);
            }
        }
        assertEquals("1", values.get("clients/total"));
        assertEquals("1", values.get("clients/maximum"));
        assertEquals("1", values.get("clients/inactive"), "no ClientProtocol counted it connected");
        assertEquals("1", values.get("subscriptions/count"));
        assertEquals("0", values.get("shared_subscriptions/count"));
        assertEquals("5000", values.get("heap/current"));
        assertEquals(retainedSys().keySet(), values.keySet(), "every value is also retained");
    }

    @Test
    void sharedSubscriptionsAreCountedApartAsMemberships() {
        Observer observer = new Observer("observer", true, "$SYS/#", 0);
        new Observer("member1", true, "$share/g/t", 1);
        new Observer("member2", true, "$share/g/t", 1);
        new Observer("member3", true, "$share/h/t", 1);
        publisher().run();

        Map<String, String> values = observer.lastValues();
        assertEquals("1", values.get("subscriptions/count"), "mosquitto counts shares only as shared subscriptions");
        assertEquals("3", values.get("shared_subscriptions/count"));
    }

    @Test
    void countersAreTheStatsTotals() {
        stats.packetReceived();
        stats.packetReceived();
        stats.bytesReceived(27);
        stats.packetSent(4);
        stats.packetSent(105);
        stats.publishReceived(1, 10);
        stats.publishSent(1, 100);
        stats.publishSent(0, 1);
        stats.messageDropped(BrokerStats.DropReason.QUEUE_FULL);
        stats.clientExpired();
        stats.clientConnected();
        publisher().run();

        Map<String, String> sys = retainedSys();
        assertEquals("2", sys.get("messages/received"));
        assertEquals("2", sys.get("messages/sent"));
        assertEquals("27", sys.get("bytes/received"));
        assertEquals("109", sys.get("bytes/sent"));
        assertEquals("1", sys.get("publish/messages/received"));
        assertEquals("2", sys.get("publish/messages/sent"));
        assertEquals("10", sys.get("publish/bytes/received"));
        assertEquals("101", sys.get("publish/bytes/sent"));
        assertEquals("1", sys.get("publish/messages/dropped"));
        assertEquals("1", sys.get("clients/expired"));
        assertEquals("0", sys.get("clients/connected"), "never more connected than there are sessions");
    }

    @Test
    void loadAveragesDecayAsMosquittosWithTheRealInterval() {
        SysPublisher sys = publisher();
        for (int i = 0; i < 100; i++) {
            stats.packetReceived(); // before the first update: not in any load
        }
        sys.run();

        for (int i = 0; i < 600; i++) {
            stats.packetReceived();
        }
        stats.bytesReceived(1200);
        stats.socketOpened();
        now.addAndGet(10_000);
        sys.run();
        // 600 in 10 s is 3600 a minute; each average moves 1 - exp(-10 / window) of the way there.
        double load1 = 3600 * (1 - Math.exp(-10.0 / 60));
        double load5 = 3600 * (1 - Math.exp(-10.0 / 300));
        double load15 = 3600 * (1 - Math.exp(-10.0 / 900));
        Map<String, String> values = retainedSys();
        assertEquals(load(load1), values.get("load/messages/received/1min"));
        assertEquals(load(load5), values.get("load/messages/received/5min"));
        assertEquals(load(load15), values.get("load/messages/received/15min"));
        assertEquals(load(7200 * (1 - Math.exp(-10.0 / 60))), values.get("load/bytes/received/1min"));
        assertEquals(load(6 * (1 - Math.exp(-10.0 / 60))), values.get("load/sockets/1min"));
        assertEquals("0.00", values.get("load/messages/sent/1min"));

        now.addAndGet(20_000); // a late update: the interval it covers is what counts
        sys.run();
        values = retainedSys();
        assertEquals(load(load1 * Math.exp(-20.0 / 60)), values.get("load/messages/received/1min"));
        assertEquals(load(load15 * Math.exp(-20.0 / 900)), values.get("load/messages/received/15min"));
    }

    @Test
    void aValueIsPublishedAgainOnlyWhenItChangedButUptimeAlways() {
        Observer observer = new Observer("observer", true);
        SysPublisher sys = publisher();
        sys.run();
        now.addAndGet(10_000);
        sys.run(); // the store figures change once more: the first update's were read while it published
        observer.received.clear();

        now.addAndGet(10_000);
        sys.run();
        assertEquals(List.of("uptime"), observer.topics(), "only uptime: nothing else changed");
        assertEquals("20 seconds", observer.lastValues().get("uptime"));

        stats.publishReceived(0, 3);
        observer.received.clear();
        now.addAndGet(10_000);
        sys.run();
        assertEquals(List.of("uptime", "load/publish/received/1min", "load/publish/received/5min",
                "load/publish/received/15min", "publish/messages/received", "publish/bytes/received"), observer.topics());
    }

    @Test
    void maximumIsTheHighestTotalAnUpdateSaw() {
        SysPublisher sys = publisher();
        sys.run();
        assertNull(retainedSys().get("clients/maximum"), "mosquitto starts it at 0 and publishes it only once exceeded");

        new Observer("a", false);
        new Observer("b", true);
        now.addAndGet(10_000);
        sys.run();
        assertEquals("2", retainedSys().get("clients/maximum"));
        assertEquals("2", retainedSys().get("clients/total"));
    }

    @Test
    void anOfflinePersistentSessionsQueueIsStoredAndItsOverflowDropped() {
        Observer persistent = new Observer("p", false, "q", 1);
        sessions.disconnected(sessions.get("p"), persistent);
        router.publish(new Message("q", new byte[5], 0, false)); // QoS 0 is not queued offline, nor counted dropped
        router.publish(new Message("q", new byte[7], 1, false));
        router.publish(new Message("q", new byte[8], 1, false));
        router.publish(new Message("q", new byte[9], 1, false)); // over max_queued_messages 2
        router.publish(new Message("kept", new byte[4], 0, true));
        publisher().run();

        Map<String, String> values = retainedSys();
        assertEquals("1", values.get("publish/messages/dropped"));
        assertEquals("1", values.get("clients/disconnected"));
        // Read as they are published, as mosquitto does: besides "kept", the version and the two
        // queued messages, the store holds this update's $SYS values published before.
        List<String> order = new ArrayList<>(FIRST_UPDATE);
        order.add(order.indexOf("clients/inactive"), "clients/maximum");
        List<String> before = order.subList(0, order.indexOf("messages/stored"));
        assertEquals(Integer.toString(2 + before.size() + 2), values.get("messages/stored"));
        assertEquals(values.get("messages/stored"), values.get("store/messages/count"));
        long bytes = 4 + "midge version 1.2.3".length() + 7 + 8;
        for (String topic : order.subList(0, order.indexOf("store/messages/bytes"))) {
            bytes += values.get(topic).length();
        }
        assertEquals(Long.toString(bytes), values.get("store/messages/bytes"));
    }

    @Test
    void unchangedValuesExpireFromTheRetainedStoreAfterAMinuteAsMosquittosDo() {
        SysPublisher sys = publisher();
        sys.run();
        assertEquals("0", retainedSys().get("clients/expired"));

        now.addAndGet(59_000);
        sys.run();
        assertEquals("0", retainedSys().get("clients/expired"), "not yet a minute");
        now.addAndGet(1_000);
        sys.run();
        Map<String, String> values = retainedSys();
        assertNull(values.get("clients/expired"), "a minute unchanged: gone for new subscribers");
        assertEquals("midge version 1.2.3", values.get("version"), "the version never expires");
        assertEquals("60 seconds", values.get("uptime"));

        now.addAndGet(10_000);
        sys.run();
        assertNull(retainedSys().get("clients/expired"), "an unchanged value is not published again");
        stats.clientExpired();
        now.addAndGet(10_000);
        sys.run();
        assertEquals("1", retainedSys().get("clients/expired"));
    }

    @Test
    void heapMaximumIsThePeakOfWhatUpdatesSaw() {
        SysPublisher sys = publisher();
        sys.run();
        heap.set(9000);
        now.addAndGet(10_000);
        sys.run();
        heap.set(7000);
        now.addAndGet(10_000);
        sys.run();
        assertEquals("7000", retainedSys().get("heap/current"));
        assertEquals("9000", retainedSys().get("heap/maximum"));
    }

    @Test
    void clientsMayNotPublishToSysButToBridgeStateAndOtherDollarTopics() {
        assertTrue(SysTopics.closedToClients("$SYS/broker/uptime"));
        assertTrue(SysTopics.closedToClients("$SYS"));
        assertTrue(SysTopics.closedToClients("$SYSx/y"), "mosquitto compares four characters");
        assertTrue(SysTopics.closedToClients("$SYS/broker/connection/a/b/state"));
        assertFalse(SysTopics.closedToClients("$SYS/broker/connection/bridge1/state"));
        assertFalse(SysTopics.closedToClients("$foo/y"));
        assertFalse(SysTopics.closedToClients("a/$SYS"));
    }
}
