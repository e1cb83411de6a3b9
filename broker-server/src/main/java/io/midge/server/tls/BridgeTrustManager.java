package io.midge.server.tls;

import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a remote broker's certificate for a bridge as mosquitto does, in its order: the chain
 * against bridge_cafile/bridge_capath (and, with bridge_require_ocsp, the OCSP response the remote
 * stapled), then, unless bridge_insecure, the host name. Each refusal is a {@link PeerRejected}.
 */
final class BridgeTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager chainCheck;
    private final boolean verifyHostName;
    private final boolean requireOcsp;

    /** @param chainCheck a PKIX trust manager that checks no host name (and stapled OCSP when {@code requireOcsp}) */
    BridgeTrustManager(X509ExtendedTrustManager chainCheck, boolean verifyHostName, boolean requireOcsp) {
        this.chainCheck = chainCheck;
        this.verifyHostName = verifyHostName;
        this.requireOcsp = requireOcsp;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        SSLSession session = engine == null ? null : engine.getHandshakeSession();
        requireStapledResponse(session);
        try {
            chainCheck.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw rejected(e);
        }
        checkHostName(chain, engine == null ? null : engine.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw notAServer();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw notAServer();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw notAServer();
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chainCheck.getAcceptedIssuers();
    }

    private static CertificateException notAServer() {
        return new CertificateException("a bridge is a TLS client");
    }

    /** mosquitto fails the handshake when the remote staples no response ("OCSP: no response"), without asking a responder. */
    private void requireStapledResponse(SSLSession session) throws PeerRejected {
        if (!requireOcsp) {
            return;
        }
        List<byte[]> responses = session instanceof ExtendedSSLSession extended ? extended.getStatusResponses() : List.of();
        if (responses.isEmpty() || responses.get(0).length == 0) {
            throw new PeerRejected(PeerRejected.OCSP, "the remote broker stapled no OCSP response", null);
        }
    }

    private PeerRejected rejected(CertificateException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (requireOcsp && cause instanceof CertPathValidatorException invalid
                    && (invalid.getReason() == CertPathValidatorException.BasicReason.REVOKED
                        || invalid.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS)) {
                return new PeerRejected(PeerRejected.OCSP, e.getMessage(), e);
            }
        }
        return new PeerRejected(PeerRejected.CHAIN, e.getMessage(), e);
    }

    private void checkHostName(X509Certificate[] chain, String host) throws CertificateException {
        if (!verifyHostName) {
            return;
        }
        if (host == null || chain.length == 0 || !HostNames.matches(chain[0], host)) {
            throw new PeerRejected(PeerRejected.HOST_NAME,
                    "the certificate of " + (chain.length == 0 ? "?" : chain[0].getSubjectX500Principal().getName())
                            + " is not for " + host, null);
        }
    }
}
