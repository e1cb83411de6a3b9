package io.midge.server.config;

import static io.midge.server.config.OptionTable.midgeOnly;

import io.midge.core.store.Durability;
import java.util.List;

/**
 * {@code persistence*} and {@code autosave_*} options, and Midge's {@code persistence_durability}
 * and {@code persistence_sync_interval}.
 */
final class PersistenceOptions {

    private PersistenceOptions() {
    }

    static void register(OptionTable table) {
        // retained_persistence is an undocumented older name mosquitto 2.0 still reads.
        for (String name : List.of("persistence", "retained_persistence")) {
            table.general(name, "keep retained messages and persistent sessions across restarts"
                    + " (retained_persistence: the older name)", (c, d) -> c.persistence = d.bool());
        }
        table.general("persistence_file", "mosquitto's persistence file, imported on the first start",
                (c, d) -> c.persistenceFile = d.string());
        table.general("persistence_location", "directory of the store (midge.db/) and of persistence_file",
                (c, d) -> c.persistenceLocation = d.path());
        table.general("autosave_interval", "seconds between saves with persistence_durability snapshot",
                (c, d) -> c.autosaveInterval = d.intInRange(0, Integer.MAX_VALUE));
        table.general("autosave_on_changes", "count autosave_interval in changes rather than seconds",
                (c, d) -> c.autosaveOnChanges = d.bool());
        table.general("persistence_durability", "fsync, batch or snapshot: when an acknowledged message is on disk",
                midgeOnly((c, d) -> c.persistenceDurability = d.keyword(Durability.class)));
        table.general("persistence_sync_interval", "milliseconds between fsyncs with persistence_durability batch",
                midgeOnly((c, d) -> c.persistenceSyncIntervalMillis = d.intInRange(1, 60_000)));
    }
}
