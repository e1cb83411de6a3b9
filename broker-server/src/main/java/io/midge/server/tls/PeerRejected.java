package io.midge.server.tls;

import java.security.cert.CertificateException;

/**
 * Why a bridge turned down the remote broker's certificate, in the words mosquitto (OpenSSL) logs,
 * so {@link BridgeTlsContext#describe} need not guess from JDK messages.
 */
final class PeerRejected extends CertificateException {

    static final String CHAIN = "certificate verify failed";
    static final String HOST_NAME = "host name verification failed";
    static final String OCSP = "invalid status response";

    private final String reason;

    PeerRejected(String reason, String detail, Throwable cause) {
        super(reason + ": " + detail, cause);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
