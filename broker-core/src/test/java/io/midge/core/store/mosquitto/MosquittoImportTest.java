package io.midge.core.store.mosquitto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.store.RocksStore;
import io.midge.core.store.StoreContents;
import io.midge.core.store.StoreCounts;
import io.midge.core.store.StoreException;
import io.midge.core.store.StoreSettings;
import io.midge.core.store.StoredOutbound;
import io.midge.core.store.StoredSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture imported into a RocksStore and read back as the broker will at start-up. */
class MosquittoImportTest {

    @TempDir
    Path tmp;

    @Test
    void whatIsImportedIsWhatTheStoreLoads() throws Exception {
        Path file = Files.write(tmp.resolve("mosquitto.db"), MosquittoDbReaderTest.fixture());
        byte[] original = Files.readAllBytes(file);
        Path directory = tmp.resolve("midge.db");

        RocksStore store = open(directory);
        store.load();
        StoreCounts counts = MosquittoImport.into(store, file);
        store.close();

        assertEquals(new StoreCounts(2, 3, 3, 4, 2, 1), counts);
        assertTrue(Arrays.equals(original, Files.readAllBytes(file)), "the mosquitto file is only read");
        RocksStore reopened = open(directory);
        StoreContents loaded = reopened.load();
        reopened.close();
        assertEquals(counts, StoreCounts.of(loaded));
        StoredSession flight = loaded.sessions().stream().filter(s -> s.clientId().equals("flight")).findFirst().orElseThrow();
        assertEquals("f/one p1 released, f/two p2", flight.outbound().stream().map(MosquittoImportTest::describe)
                .reduce((a, b) -> a + ", " + b).orElseThrow());
        StoredSession subid = loaded.sessions().stream().filter(s -> s.clientId().equals("subid")).findFirst().orElseThrow();
        assertEquals("a/x p0, b/y p0", subid.outbound().stream().map(MosquittoImportTest::describe)
                .reduce((a, b) -> a + ", " + b).orElseThrow());
    }

    private static String describe(StoredOutbound o) {
        return o.message().topic() + " p" + o.packetId() + (o.released() ? " released" : "");
    }

    private static RocksStore open(Path directory) throws StoreException {
        return RocksStore.open(StoreSettings.fsync(directory), AllowAllAuthorizer.INSTANCE, e -> {
            throw new AssertionError(e);
        });
    }
}
