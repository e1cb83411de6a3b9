package io.midge.core.session;

import io.midge.core.store.BrokerStore;
import io.midge.core.sys.BrokerStats;

/**
 * What every session of a {@link SessionRegistry} works with, made once and shared: a session
 * holds this one reference instead of three, as every idle connection's session pays for each
 * field it has.
 *
 * @param store keeps persistent sessions across restarts
 * @param stats  where sessions count the messages they drop
 * @param memory memory_limit: what sessions hold is charged to it, and nothing is queued once it is spent
 */
record SessionServices(SessionLimits limits, BrokerStore store, BrokerStats stats, MemoryBudget memory) {

    SessionServices(SessionLimits limits, BrokerStore store, BrokerStats stats) {
        this(limits, store, stats, MemoryBudget.UNLIMITED);
    }
}
