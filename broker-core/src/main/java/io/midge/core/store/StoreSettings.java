package io.midge.core.store;

import java.nio.file.Path;

/**
 * How the durable store is opened.
 *
 * @param directory          the RocksDB directory
 * @param durability         when writes count as safe
 * @param syncIntervalMillis {@link Durability#BATCH}: how often the log is fsynced
 * @param autosaveInterval   {@link Durability#SNAPSHOT}: seconds between saves, or changes
 *                           between saves with {@code autosaveOnChanges}; 0 saves only on shutdown
 */
public record StoreSettings(Path directory, Durability durability, long syncIntervalMillis,
                            int autosaveInterval, boolean autosaveOnChanges) {

    public static StoreSettings fsync(Path directory) {
        return new StoreSettings(directory, Durability.FSYNC, 0, 0, false);
    }
}
