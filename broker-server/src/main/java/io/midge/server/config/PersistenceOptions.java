package io.midge.server.config;

import static io.midge.server.config.OptionTable.notYet;
import static io.midge.server.config.OptionTable.validateOnly;

/** {@code persistence*} and {@code autosave_*} options. */
final class PersistenceOptions {

    private PersistenceOptions() {
    }

    static void register(OptionTable table) {
        table.general("persistence", (c, d) -> {
            c.persistence = d.bool();
            // "persistence false" asks for what the broker does today.
            if (c.persistence) {
                d.warnNotSupportedYet();
            }
        });
        table.general("persistence_file", notYet((c, d) -> c.persistenceFile = d.string()));
        table.general("persistence_location", notYet((c, d) -> c.persistenceLocation = d.path()));
        table.general("autosave_interval", notYet((c, d) -> c.autosaveInterval = d.intInRange(0, Integer.MAX_VALUE)));
        table.general("autosave_on_changes", notYet(validateOnly(Directive::bool)));
    }
}
