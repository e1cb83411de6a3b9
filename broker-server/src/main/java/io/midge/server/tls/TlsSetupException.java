package io.midge.server.tls;

/** A listener's TLS settings cannot be used; the message names the file or option at fault. */
public final class TlsSetupException extends Exception {

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
