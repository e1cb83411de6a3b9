package io.midge.core.store.mosquitto;

import io.midge.core.store.BrokerStore;
import io.midge.core.store.StoreContents;
import io.midge.core.store.StoreContentsWriter;
import io.midge.core.store.StoreCounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Imports a mosquitto 1.6/2.0 persistence file (mosquitto.db) into Midge's store: retained
 * messages, and persistent sessions with their subscriptions, queued and in-flight messages and
 * the QoS 2 messages received but not yet released. The file is only read.
 */
public final class MosquittoImport {

    /**
     * What a file holds, as Midge will store it.
     *
     * @param notes what was left out, one line each (expired messages, unknown chunks, states Midge has no use for)
     */
    public record Found(int formatVersion, StoreContents contents, List<String> notes) {}

    private MosquittoImport() {}

    /** Reads {@code file} whole, so that a damaged file is refused before anything is written. */
    public static Found read(Path file) throws MosquittoDbException {
        MosquittoRecords.Contents records = MosquittoDbReader.read(file);
        MosquittoDbMapping.Result mapped = MosquittoDbMapping.map(records, savedAtMillis(file), System.currentTimeMillis());
        return new Found(records.version(), mapped.contents(), mapped.notes());
    }

    /**
     * Reads {@code file} and writes what it holds into {@code store}, which must be loaded
     * ({@link BrokerStore#load()}) and empty. The writes are safe once a later commit
     * completes or the store is closed.
     *
     * @throws MosquittoDbException naming the file (and the offset, if it is damaged); nothing is written then
     */
    public static StoreCounts into(BrokerStore store, Path file) throws MosquittoDbException {
        return StoreContentsWriter.write(store, read(file).contents());
    }

    private static long savedAtMillis(Path file) throws MosquittoDbException {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new MosquittoDbException("Unable to read mosquitto persistence file " + file + ": " + e.getMessage(), e);
        }
    }
}
