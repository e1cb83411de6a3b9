package io.midge.core.store;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.message.Message;
import io.midge.core.message.MessageProperties;
import io.midge.core.message.Origin;
import io.midge.core.topic.SubscriptionOptions;
import io.netty.util.concurrent.DefaultEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is written to the store is what a restart reads back, in every durability mode. */
class RocksStoreTest {

    @TempDir
    Path dir;
    private final DefaultEventExecutor loop = new DefaultEventExecutor();

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private RocksStore open(Durability durability) throws StoreException {
        RocksStore store = RocksStore.open(new StoreSettings(dir.resolve("db"), durability, 5, 0, false),
                AllowAllAuthorizer.INSTANCE, e -> { throw new AssertionError(e); });
        return store;
    }

    private StoreContents reopen(Durability durability) throws StoreException {
        RocksStore store = open(durability);
        try {
            return store.load();
        } finally {
            store.close();
        }
    }

    private static Message message(long id, String topic, String payload, int qos) {
        return new Message(id, topic, payload.getBytes(StandardCharsets.UTF_8), qos, false,
                new Origin("pub", "alice", AllowAllAuthorizer.INSTANCE), 0, MessageProperties.NONE);
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void retainedMessagesSurviveARestart(Durability durability) throws Exception {
        RocksStore store = open(durability);
        store.load();
        store.putRetained(message(1, "a/b", "one", 1).withRetain(true));
        store.putRetained(message(2, "a/c", "two", 0).withRetain(true));
        store.putRetained(message(3, "a/d", "three", 2).withRetain(true));
        store.removeRetained("a/c");
        store.close();

        StoreContents contents = reopen(durability);
        assertEquals(List.of("a/b", "a/d"), contents.retained().stream().map(Message::topic).sorted().toList());
        Message ab = contents.retained().stream().filter(m -> m.topic().equals("a/b")).findFirst().orElseThrow();
        assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), ab.payload());
        assertEquals(1, ab.qos());
        assertTrue(ab.retain());
        assertEquals("pub", ab.origin().clientId());
        assertEquals("alice", ab.origin().username());
    }

    @Test
    void aSessionComesBackWithEverythingItHeld() throws Exception {
        RocksStore store = open(Durability.FSYNC);
        store.load();
        Message will = message(10, "wills/c1", "gone", 1);
        store.putSession("c1", 7, 0, will);
        store.putSubscription("c1", "a/#", 1);
        store.putSubscription("c1", "b/+", 2);
        store.putSubscription("c1", "x", 0);
        store.removeSubscription("c1", "x");
        Message queued = message(11, "a/1", "q1", 1);
        Message inflight = message(12, "b/2", "q2", 2);
        Message released = message(13, "b/3", "q2r", 2);
        store.putOutbound("c1", 7, queued, 1, false);
        store.putOutbound("c1", 7, inflight, 2, false);
        store.updateOutbound("c1", 7, inflight, 2, false, 41, false);
        store.putOutbound("c1", 7, released, 2, true);
        store.updateOutbound("c1", 7, released, 2, true, 42, true);
        store.putInbound("c1", 99, message(14, "in/q2", "waiting", 2));
        store.close();

        StoreContents contents = reopen(Durability.FSYNC);
        assertEquals(1, contents.sessions().size());
        StoredSession session = contents.sessions().get(0);
        assertEquals("c1", session.clientId());
        assertEquals(7, session.incarnation());
        assertEquals(0, session.disconnectedAtMillis());
        assertEquals("wills/c1", session.will().topic());
        assertEquals(Map.of("a/#", 1, "b/+", 2), session.subscriptions());
        assertEquals(List.of(
                new Entry("a/1", 1, false, 0, false),
                new Entry("b/2", 2, false, 41, false),
                new Entry("b/3", 2, true, 42, true)), session.outbound().stream().map(Entry::of).toList());
        assertEquals("in/q2", session.inbound().get(99).topic());
        assertEquals(14, contents.highestMessageId());
    }

    private record Entry(String topic, int qos, boolean retain, int packetId, boolean released) {
        static Entry of(StoredOutbound o) {
            return new Entry(o.message().topic(), o.qos(), o.retain(), o.packetId(), o.released());
        }
    }

    @Test
    void aMessageForManySessionsIsStoredOnceAndGoesWithItsLastReference() throws Exception {
        RocksStore store = open(Durability.FSYNC);
        store.load();
        Message shared = message(5, "t", "shared", 1);
        for (String client : List.of("c1", "c2", "c3")) {
            store.putSession(client, 1, 0, null);
            store.putOutbound(client, 1, shared, 1, false);
        }
        store.close();
        assertEquals(1, countKeys(StoreKeys.MESSAGE));

        store = open(Durability.FSYNC);
        store.load();
        store.removeOutbound("c1", 5);
        store.removeSession("c2", new long[] {5});
        store.close();
        assertEquals(1, countKeys(StoreKeys.MESSAGE));
        assertEquals(List.of("t"), reopen(Durability.FSYNC).sessions().stream()
                .flatMap(s -> s.outbound().stream()).map(o -> o.message().topic()).toList());

        store = open(Durability.FSYNC);
        store.load();
        store.removeOutbound("c3", 5);
        store.close();
        assertEquals(0, countKeys(StoreKeys.MESSAGE));
    }

    @Test
    void removingASessionRemovesAllItHeld() throws Exception {
        RocksStore store = open(Durability.FSYNC);
        store.load();
        store.putSession("c1", 1, 0, null);
        store.putSubscription("c1", "a", 1);
        store.putOutbound("c1", 1, message(1, "a", "x", 1), 1, false);
        store.putInbound("c1", 3, message(2, "b", "y", 2));
        store.putSession("c10", 1, 0, null); // a client id that starts like the other one
        store.putSubscription("c10", "a", 1);
        store.removeSession("c1", new long[] {1});
        store.close();

        StoreContents contents = reopen(Durability.FSYNC);
        assertEquals(List.of("c10"), contents.sessions().stream().map(StoredSession::clientId).toList());
        assertEquals(Map.of("a", 1), contents.sessions().get(0).subscriptions());
        assertEquals(0, countKeys(StoreKeys.MESSAGE));
        assertEquals(0, countKeys(StoreKeys.INBOUND));
    }

    @Test
    void entriesOfAnEarlierIncarnationAreDroppedAtStartUp() throws Exception {
        RocksStore store = open(Durability.FSYNC);
        store.load();
        store.putSession("c1", 1, 0, null);
        store.putOutbound("c1", 1, message(1, "old", "x", 1), 1, false);
        store.putSession("c1", 2, 0, null); // cleared and persistent again, without the old entry being removed
        store.putOutbound("c1", 2, message(2, "new", "y", 1), 1, false);
        store.close();

        StoreContents contents = reopen(Durability.FSYNC);
        assertEquals(List.of("new"), contents.sessions().get(0).outbound().stream().map(o -> o.message().topic()).toList());
        assertEquals(1, countKeys(StoreKeys.OUTBOUND));
        assertEquals(1, countKeys(StoreKeys.MESSAGE));
    }

    @Test
    void aCommitIsDoneOnceItsWritesAreSynced() throws Exception {
        RocksStore store = open(Durability.FSYNC);
        store.load();
        store.putRetained(message(1, "a", "x", 1).withRetain(true));
        Commit commit = store.commit();
        CountDownLatch ran = new CountDownLatch(1);
        commit.whenDone(loop, () -> {
            assertTrue(loop.inEventLoop());
            ran.countDown();
        });
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertTrue(commit.isDone());
        assertTrue(store.commit() == commit, "no write since: the same commit");
        store.close();
    }

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"BATCH", "SNAPSHOT"})
    void modesWhoseAcksDoNotWaitCommitAtOnce(Durability durability) throws Exception {
        RocksStore store = open(durability);
        store.load();
        store.putRetained(message(1, "a", "x", 1).withRetain(true));
        assertTrue(store.commit().isDone());
        store.close();
    }

    @Test
    void subscriptionOptionsSurviveARestart() throws Exception {
        int bridge = SubscriptionOptions.NO_LOCAL | SubscriptionOptions.RETAIN_AS_PUBLISHED;
        RocksStore store = open(Durability.FSYNC);
        store.load();
        store.putSession("b", 3, 0, null);
        store.putSubscription("b", "t/#", 1 | bridge);
        store.putSubscription("b", "n/+", 2 | SubscriptionOptions.NO_LOCAL);
        store.putSubscription("b", "plain", 0);
        store.close();

        assertEquals(Map.of("t/#", 1 | bridge, "n/+", 2 | SubscriptionOptions.NO_LOCAL, "plain", 0),
                reopen(Durability.FSYNC).sessions().get(0).subscriptions());
    }

    /** A subscription written before options existed holds the granted QoS alone: it reads as that QoS, no option set. */
    @Test
    void aSubscriptionRecordOfPlainQosReads() throws Exception {
        RocksStore store = open(Durability.FSYNC);
        store.load();
        store.putSession("old", 5, 1000, null);
        store.close();
        try (RocksDB db = RocksDB.open(RocksStore.options(), dir.resolve("db").toString())) {
            db.put(StoreKeys.subscription("old", "a/#"), new byte[] {2});
            db.put(StoreKeys.subscription("old", "b"), new byte[] {0});
        }
        Map<String, Integer> subscriptions = reopen(Durability.FSYNC).sessions().get(0).subscriptions();
        assertEquals(Map.of("a/#", 2, "b", 0), subscriptions);
        assertEquals(2, SubscriptionOptions.qos(subscriptions.get("a/#")));
        assertFalse(SubscriptionOptions.noLocal(subscriptions.get("a/#")));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 0x10, 0x80, 0x0F})
    void aSubscriptionRecordWithAnUnknownBitOrQos3IsDamage(int value) throws Exception {
        RocksStore store = open(Durability.FSYNC);
        store.load();
        store.putSession("c", 5, 1000, null);
        store.close();
        try (RocksDB db = RocksDB.open(RocksStore.options(), dir.resolve("db").toString())) {
            db.put(StoreKeys.subscription("c", "a"), new byte[] {(byte) value});
        }
        StoreException e = assertThrows(StoreException.class, () -> reopen(Durability.FSYNC));
        assertTrue(e.getMessage().contains("subscription"), e.getMessage());
    }

    @Test
    void aDamagedRecordStopsTheStartWithTheStoreNamed() throws Exception {
        RocksStore store = open(Durability.FSYNC);
        store.load();
        store.close();
        try (RocksDB db = RocksDB.open(RocksStore.options(), dir.resolve("db").toString())) {
            db.put(StoreKeys.retained("broken"), new byte[] {1, 0, 0});
        }
        StoreException e = assertThrows(StoreException.class, () -> reopen(Durability.FSYNC));
        assertTrue(e.getMessage().contains(dir.resolve("db").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void messagePropertiesAndExpiryAreKept() throws Exception {
        RocksStore store = open(Durability.FSYNC);
        store.load();
        MessageProperties properties = new MessageProperties(Map.of(3, "text/plain", 1, 1, 9, new byte[] {1, 2}),
                List.of(Map.entry("k", "v"), Map.entry("k", "w")));
        store.putRetained(new Message(1, "p", new byte[] {7}, 1, true, null, 123456789L, properties));
        store.close();

        Message back = reopen(Durability.FSYNC).retained().get(0);
        assertNull(back.origin());
        assertEquals(123456789L, back.expiresAtMillis());
        assertEquals("text/plain", back.properties().values().get(3));
        assertEquals(1, back.properties().values().get(1));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) back.properties().values().get(9));
        assertEquals(List.of(Map.entry("k", "v"), Map.entry("k", "w")), back.properties().userProperties());
    }

    private long countKeys(byte kind) throws Exception {
        long count = 0;
        try (RocksDB db = RocksDB.openReadOnly(dir.resolve("db").toString()); RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (it.key()[0] == kind) {
                    count++;
                }
            }
        }
        return count;
    }
}
