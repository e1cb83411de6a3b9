package io.midge.core.store;

/** Told of the store's writes, for metrics; called on the store's writer thread, so it must be quick. */
public interface StoreObserver {

    StoreObserver NONE = new StoreObserver() {
        @Override
        public void committed(long nanos) {
        }

        @Override
        public void synced() {
        }
    };

    /** A batch of writes was applied (and synced, in fsync mode) in {@code nanos}, and the commits it covers completed. */
    void committed(long nanos);

    /** The store made its writes durable with an fsync (of its log, or of a flush). */
    void synced();
}
