package io.midge.core.store;

/** The store cannot be opened, read or written; the message names the store's location. */
public class StoreException extends Exception {

    /** What to do about a store that does not open or read, for the one line the broker exits with. */
    static final String RECOVERY_HINT = ". Nothing was changed; see what is damaged with 'midge store check'"
            + " and recover what still reads with 'midge store salvage' (README, Persistence tools)";

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
