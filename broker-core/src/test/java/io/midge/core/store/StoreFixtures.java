package io.midge.core.store;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.message.Message;
import io.midge.core.message.MessageIds;
import io.midge.core.message.Origin;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Stores written for the store tools' tests, and ways to damage them. */
final class StoreFixtures {

    static {
        RocksDB.loadLibrary();
    }

    private StoreFixtures() {}

    /** Writes through a RocksStore, as the broker does, then closes it. */
    static void write(Path directory, Consumer<BrokerStore> writes) throws StoreException {
        RocksStore store = RocksStore.open(StoreSettings.fsync(directory), AllowAllAuthorizer.INSTANCE, e -> {
            throw new AssertionError(e);
        });
        store.load();
        writes.accept(store);
        store.close();
    }

    static Message message(String topic, int payloadBytes) {
        return new Message(MessageIds.next(), topic, new byte[payloadBytes], 1, false,
                new Origin("publisher", null, AllowAllAuthorizer.INSTANCE), 0, io.midge.core.message.MessageProperties.NONE);
    }

    /** A session with a subscription, two queued messages (one in flight at QoS 2, PUBREC received) and an inbound one. */
    static void session(BrokerStore store, String clientId) {
        long incarnation = MessageIds.next();
        store.putSession(clientId, incarnation, 1_000, null);
        store.putSubscription(clientId, "s/#", 2);
        Message first = message("s/1", 10);
        store.putOutbound(clientId, incarnation, first, 2, false);
        store.updateOutbound(clientId, incarnation, first, 2, false, 5, true);
        store.putOutbound(clientId, incarnation, message("s/2", 10), 1, false);
        store.putInbound(clientId, 9, message("s/in", 10));
    }

    static void retained(BrokerStore store, String prefix, int count, int payloadBytes) {
        for (int i = 0; i < count; i++) {
            store.putRetained(message(String.format("%s/%03d", prefix, i), payloadBytes).withRetain(true));
        }
    }

    /** Moves everything into table files, as a store that ran long enough has them. */
    static void flush(Path directory) throws RocksDBException {
        try (Options options = RocksStore.options(); RocksDB db = RocksDB.open(options, directory.toString());
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        }
    }

    /** Writes a raw record, bypassing the codec: a value that does not decode. */
    static void putRaw(Path directory, byte[] key, byte[] value) throws RocksDBException {
        try (Options options = RocksStore.options(); RocksDB db = RocksDB.open(options, directory.toString())) {
            db.put(key, value);
        }
    }

    static Path[] tables(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".sst")).sorted().toArray(Path[]::new);
        }
    }

    /** Flips a byte inside the first data block of a table file. */
    static void corrupt(Path table) throws IOException {
        byte[] bytes = Files.readAllBytes(table);
        bytes[1000] ^= 0x5A;
        Files.write(table, bytes);
    }

    /** Every file under {@code directory} with its content, to show that nothing changed. */
    static Map<String, String> snapshot(Path directory) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.filter(Files::isRegularFile).forEach(p -> {
                try {
                    files.put(directory.relativize(p).toString(), java.util.HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
