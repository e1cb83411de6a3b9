package io.midge.core.store.mosquitto;

import io.midge.core.store.StoreException;

/** A mosquitto persistence file cannot be read: the message names the file and, for damage, the offset. */
public final class MosquittoDbException extends StoreException {
    public MosquittoDbException(String message) {
        super(message);
    }

    public MosquittoDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
