package io.midge.core.store;

import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.ReadTier;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;
import org.rocksdb.WALRecoveryMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Copies every record RocksDB can still read from a damaged store into a fresh RocksDB, record
 * by record (the values are decoded later). RocksJava has no binding of RocksDB's repair tool,
 * so this does what repair would for a store of Midge's size: a damaged write-ahead log is
 * replayed skipping the damaged records, and when reading in key order stops at a damaged
 * table block, the keys after it are found table by table and read back through the store, so
 * that the newest version of each wins and deleted records stay deleted.
 */
final class StoreRescue {

    /**
     * @param damagedFiles whether RocksDB's own files (log or tables) were damaged
     * @param lost         what could not be read, one line each
     */
    record Result(boolean damagedFiles, List<String> lost) {}

    /** What {@link #copyInKeyOrder} returns when it read everything. */
    private static final byte[] NOT_STOPPED = new byte[0];

    private final Path source;
    private final List<String> lost = new ArrayList<>();
    private boolean damagedFiles;

    private StoreRescue(Path source) {
        this.source = source;
    }

    /** Reads the store in {@code source} (a copy: opening it may replay and rewrite its log) into a new one in {@code target}. */
    static Result rescue(Path source, Path target) throws StoreException {
        return new StoreRescue(source).into(target);
    }

    private Result into(Path target) throws StoreException {
        try (Options tolerant = RocksStore.options().setCreateIfMissing(false).setParanoidChecks(false)
                .setWalRecoveryMode(WALRecoveryMode.SkipAnyCorruptedRecords);
             Options fresh = RocksStore.options();
             ReadOptions verified = new ReadOptions().setVerifyChecksums(true).setFillCache(false)) {
            RocksDB from = openSkippingLogDamage(tolerant);
            try (from; RocksDB to = RocksDB.open(fresh, target.toString())) {
                byte[] stoppedAfter = copyInKeyOrder(from, to, verified);
                if (stoppedAfter != NOT_STOPPED) {
                    damagedFiles = true;
                    copyKeysAfter(stoppedAfter, from, to, verified);
                }
            }
        } catch (RocksDBException e) {
            throw new StoreException("Unable to salvage persistence store " + source + ": " + e.getMessage(), e);
        }
        return new Result(damagedFiles, lost);
    }

    private RocksDB openSkippingLogDamage(Options tolerant) throws StoreException {
        try (Options strict = RocksStore.options().setCreateIfMissing(false)) {
            RocksDB.open(strict, source.toString()).close();
        } catch (RocksDBException e) {
            damagedFiles = true;
            lost.add("the store could not be opened (" + e.getMessage() + "); damaged log records were skipped");
        }
        try {
            return RocksDB.open(tolerant, source.toString());
        } catch (RocksDBException e) {
            throw new StoreException("Unable to open persistence store " + source
                    + " even when skipping damaged log records: " + e.getMessage(), e);
        }
    }

    /** @return {@link #NOT_STOPPED}, or the last key read before a damaged block (null if none was) */
    private byte[] copyInKeyOrder(RocksDB from, RocksDB to, ReadOptions verified) throws RocksDBException {
        byte[] last = null;
        try (RocksIterator it = from.newIterator(verified)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                last = it.key();
                to.put(last, it.value());
            }
            try {
                it.status();
                return NOT_STOPPED;
            } catch (RocksDBException e) {
                lost.add("reading in key order stopped after " + describe(last) + ": " + e.getMessage());
                return last;
            }
        }
    }

    private void copyKeysAfter(byte[] after, RocksDB from, RocksDB to, ReadOptions verified) throws RocksDBException {
        NavigableSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
        for (Path table : tables()) {
            keysOfTable(table, after, keys);
        }
        try (ReadOptions memory = new ReadOptions().setReadTier(ReadTier.MEMTABLE_TIER);
             RocksIterator it = from.newIterator(memory)) {
            collect(it, after, keys);
        }
        int unreadable = 0;
        for (byte[] key : keys) {
            try {
                byte[] value = from.get(verified, key);
                if (value != null) {
                    to.put(key, value);
                }
            } catch (RocksDBException e) {
                unreadable++;
            }
        }
        if (unreadable > 0) {
            lost.add(unreadable + " records whose newest version is in a damaged block");
        }
    }

    private void keysOfTable(Path table, byte[] after, NavigableSet<byte[]> keys) {
        try (Options options = new Options(); SstFileReader reader = new SstFileReader(options)) {
            reader.open(table.toString());
            try (ReadOptions verified = new ReadOptions().setVerifyChecksums(true);
                 SstFileReaderIterator it = reader.newIterator(verified)) {
                collect(it, after, keys);
            }
        } catch (RocksDBException e) {
            lost.add("table file " + table.getFileName() + " is damaged; what it holds past the damage is lost: "
                    + e.getMessage());
        }
    }

    private static void collect(org.rocksdb.AbstractRocksIterator<?> it, byte[] after, NavigableSet<byte[]> keys)
            throws RocksDBException {
        if (after == null) {
            it.seekToFirst();
        } else {
            it.seek(after);
        }
        for (; it.isValid(); it.next()) {
            byte[] key = keyOf(it);
            if (after == null || Arrays.compareUnsigned(key, after) > 0) {
                keys.add(key);
            }
        }
        it.status();
    }

    private static byte[] keyOf(org.rocksdb.AbstractRocksIterator<?> it) {
        return it instanceof RocksIterator r ? r.key() : ((SstFileReaderIterator) it).key();
    }

    private List<Path> tables() throws RocksDBException {
        try (Stream<Path> files = Files.list(source)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sst")).sorted().toList();
        } catch (IOException e) {
            throw new RocksDBException("cannot list " + source + ": " + e.getMessage());
        }
    }

    /** A key as a person can read it: its kind letter, then its printable bytes. */
    static String describe(byte[] key) {
        if (key == null) {
            return "the start";
        }
        StringBuilder s = new StringBuilder("key '");
        for (byte b : key) {
            s.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xFF));
        }
        return s.append('\'').toString();
    }
}
