package io.midge.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.core.auth.AllowAllAuthorizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreInspectionTest {

    @TempDir
    Path tmp;

    Path store() {
        return tmp.resolve("midge.db");
    }

    @Test
    void aSoundStoreIsCleanAndLeftUntouched() throws Exception {
        StoreFixtures.write(store(), s -> {
            StoreFixtures.retained(s, "r", 3, 10);
            StoreFixtures.session(s, "c1");
        });
        Map<String, String> before = StoreFixtures.snapshot(store());
        StoreInspection.Report report = StoreInspection.check(store());
        assertTrue(report.isClean(), report.damaged().toString());
        assertEquals(new StoreCounts(3, 1, 1, 2, 1, 1), report.counts());
        assertEquals(before, StoreFixtures.snapshot(store()), "check changes nothing, not even RocksDB's log");
    }

    @Test
    void aRecordThatDoesNotDecodeIsReported() throws Exception {
        StoreFixtures.write(store(), s -> StoreFixtures.retained(s, "r", 3, 10));
        StoreFixtures.putRaw(store(), StoreKeys.retained("r/bad"), "garbage".getBytes(StandardCharsets.UTF_8));
        StoreInspection.Report report = StoreInspection.check(store());
        assertFalse(report.isClean());
        assertEquals(1, report.damaged().size(), report.damaged().toString());
        assertTrue(report.damaged().get(0).startsWith("a retained message record: "), report.damaged().toString());
        assertEquals(3, report.counts().retained());
    }

    @Test
    void aCorruptTableFileIsReported() throws Exception {
        StoreFixtures.write(store(), s -> StoreFixtures.retained(s, "r", 50, 200));
        StoreFixtures.flush(store());
        StoreFixtures.corrupt(StoreFixtures.tables(store())[0]);
        StoreInspection.Report report = StoreInspection.check(store());
        assertFalse(report.isClean());
        assertTrue(report.damaged().stream().anyMatch(d -> d.startsWith("table files fail their checksums")),
                report.damaged().toString());
    }

    @Test
    void aMissingStoreIsAnErrorNamingTheDirectory() {
        StoreException e = assertThrows(StoreException.class, () -> StoreInspection.check(store()));
        assertEquals("No persistence store in " + store() + " (it has no CURRENT file)", e.getMessage());
    }

    @Test
    void salvageKeepsWhatDecodesAndLeavesTheOriginalAlone() throws Exception {
        StoreFixtures.write(store(), s -> {
            StoreFixtures.retained(s, "r", 3, 10);
            StoreFixtures.session(s, "c1");
        });
        StoreFixtures.putRaw(store(), StoreKeys.retained("r/bad"), "garbage".getBytes(StandardCharsets.UTF_8));
        Map<String, String> before = StoreFixtures.snapshot(store());
        Path output = tmp.resolve("salvaged");

        StoreInspection.Salvage salvage = StoreInspection.salvage(store(), output);

        assertEquals(before, StoreFixtures.snapshot(store()));
        assertFalse(salvage.damagedFiles());
        assertEquals(1, salvage.lost().size(), salvage.lost().toString());
        assertEquals(new StoreCounts(3, 1, 1, 2, 1, 1), salvage.recovered());
        StoreInspection.Report salvaged = StoreInspection.check(output);
        assertTrue(salvaged.isClean(), salvaged.damaged().toString());
        assertEquals(salvage.recovered(), salvaged.counts());
        StoredSession session = load(output).sessions().get(0);
        assertEquals(5, session.outbound().get(0).packetId());
        assertTrue(session.outbound().get(0).released());
    }

    @Test
    void salvageRecoversTheTablesAroundACorruptOne() throws Exception {
        StoreFixtures.write(store(), s -> StoreFixtures.retained(s, "a", 50, 200));
        StoreFixtures.flush(store());
        StoreFixtures.write(store(), s -> {
            StoreFixtures.retained(s, "b", 50, 200);
            StoreFixtures.session(s, "c1");
        });
        StoreFixtures.flush(store());
        Path[] tables = StoreFixtures.tables(store());
        assertEquals(2, tables.length, "one table of a/*, one of b/* and the session");
        StoreFixtures.corrupt(tables[0]);
        Map<String, String> before = StoreFixtures.snapshot(store());
        Path output = tmp.resolve("salvaged");

        StoreInspection.Salvage salvage = StoreInspection.salvage(store(), output);

        assertEquals(before, StoreFixtures.snapshot(store()));
        assertTrue(salvage.damagedFiles());
        assertFalse(salvage.lost().isEmpty());
        StoreContents contents = load(output);
        long b = contents.retained().stream().filter(m -> m.topic().startsWith("b/")).count();
        long a = contents.retained().stream().filter(m -> m.topic().startsWith("a/")).count();
        assertEquals(50, b, "every record of the sound table");
        assertTrue(a < 50, "the corrupt table's damaged block is lost");
        assertEquals(1, contents.sessions().size());
    }

    @Test
    void salvageRefusesANonEmptyOutput() throws Exception {
        StoreFixtures.write(store(), s -> StoreFixtures.retained(s, "r", 1, 10));
        Path output = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(output.resolve("something"), "x");
        StoreException e = assertThrows(StoreException.class, () -> StoreInspection.salvage(store(), output));
        assertEquals("Output directory " + output + " is not empty; salvage writes a new store only", e.getMessage());
    }

    private static StoreContents load(Path directory) throws StoreException {
        RocksStore store = RocksStore.open(StoreSettings.fsync(directory), AllowAllAuthorizer.INSTANCE, e -> { });
        try {
            return store.load();
        } finally {
            store.close();
        }
    }
}
