package io.midge.core.store;

/**
 * When a write counts as safe ({@code persistence_durability}, a Midge option).
 */
public enum Durability {
    /** Acks wait until what they acknowledge is fsynced; many writes share one fsync. */
    FSYNC,
    /** Writes reach the file system at once and are fsynced every interval; acks do not wait. */
    BATCH,
    /** mosquitto's semantics: the store is saved every autosave_interval (and on shutdown); acks do not wait. */
    SNAPSHOT
}
