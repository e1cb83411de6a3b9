package io.midge.core.store;

/** The store cannot be opened, read or written; the message names the store's location. */
public class StoreException extends Exception {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
