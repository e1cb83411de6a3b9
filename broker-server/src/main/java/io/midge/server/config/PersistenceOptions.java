package io.midge.server.config;

import io.midge.core.store.Durability;

/**
 * {@code persistence*} and {@code autosave_*} options, and Midge's {@code persistence_durability}
 * and {@code persistence_sync_interval}.
 */
final class PersistenceOptions {

    private PersistenceOptions() {
    }

    static void register(OptionTable table) {
        table.general("persistence", (c, d) -> c.persistence = d.bool());
        table.general("persistence_file", (c, d) -> c.persistenceFile = d.string());
        table.general("persistence_location", (c, d) -> c.persistenceLocation = d.path());
        table.general("autosave_interval", (c, d) -> c.autosaveInterval = d.intInRange(0, Integer.MAX_VALUE));
        table.general("autosave_on_changes", (c, d) -> c.autosaveOnChanges = d.bool());
        table.general("persistence_durability", (c, d) -> c.persistenceDurability = d.keyword(Durability.class));
        table.general("persistence_sync_interval", (c, d) -> c.persistenceSyncIntervalMillis = d.intInRange(1, 60_000));
    }
}
