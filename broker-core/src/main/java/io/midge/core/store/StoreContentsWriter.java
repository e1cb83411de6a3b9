package io.midge.core.store;

/**
 * Writes whole contents into a store through the {@link BrokerStore} API, as the broker would
 * have written them: for importing another broker's data and for salvaging a damaged store.
 */
public final class StoreContentsWriter {

    private StoreContentsWriter() {}

    /**
     * Writes {@code contents} into {@code store}, which must be loaded and empty. The writes are
     * safe once a later commit completes or the store is closed.
     */
    public static StoreCounts write(BrokerStore store, StoreContents contents) {
        contents.retained().forEach(store::putRetained);
        for (StoredSession session : contents.sessions()) {
            String clientId = session.clientId();
            store.putSession(clientId, session.incarnation(), session.disconnectedAtMillis(), session.will());
            session.subscriptions().forEach((filter, qos) -> store.putSubscription(clientId, filter, qos));
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
