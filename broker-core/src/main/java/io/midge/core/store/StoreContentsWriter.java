package io.midge.core.store;

import io.midge.core.auth.AllowAllAuthorizer;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes whole contents into a store through the {@link BrokerStore} API, as the broker would
 * have written them: for importing another broker's data and for salvaging a damaged store.
 */
public final class StoreContentsWriter {

    private StoreContentsWriter() {}

    /**
     * Writes {@code contents} into the store in {@code directory}, creating it, and closes it
     * (so that all is synced).
     *
     * @throws StoreException if that store already holds data (nothing is written then), or a write fails
     */
    public static StoreCounts writeNewStore(Path directory, StoreContents contents) throws StoreException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        RocksStore store = RocksStore.open(StoreSettings.fsync(directory), AllowAllAuthorizer.INSTANCE, failure::set);
        StoreCounts written;
        try {
            StoreCounts existing = StoreCounts.of(store.load());
            if (!existing.isEmpty()) {
                throw new StoreException("Persistence store " + directory + " already holds data (" + existing
                        + "); write only into a new store, moving this one aside first");
            }
            written = write(store, contents);
        } finally {
            store.close();
        }
        if (failure.get() != null) {
            throw new StoreException("Unable to write to persistence store " + directory + ": "
                    + failure.get().getMessage(), failure.get());
        }
        return written;
    }

    /**
     * Writes {@code contents} into {@code store}, which must be loaded and empty. The writes are
     * safe once a later commit completes or the store is closed.
     */
    public static StoreCounts write(BrokerStore store, StoreContents contents) {
        contents.retained().forEach(store::putRetained);
        for (StoredSession session : contents.sessions()) {
            String clientId = session.clientId();
            store.putSession(clientId, session.incarnation(), session.disconnectedAtMillis(), session.will(),
                    session.expiryMillis());
            session.subscriptions().forEach((filter, options) -> store.putSubscription(clientId, filter, options));
            for (StoredOutbound out : session.outbound()) {
                store.putOutbound(clientId, session.incarnation(), out.message(), out.qos(), out.retain());
                if (out.packetId() != 0) {
                    store.updateOutbound(clientId, session.incarnation(), out.message(), out.qos(), out.retain(),
                            out.packetId(), out.released());
                }
            }
            session.inbound().forEach((packetId, message) -> store.putInbound(clientId, packetId, message));
        }
        return StoreCounts.of(contents);
    }
}
