package io.midge.server.tls;

import io.midge.server.config.BridgeTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client side of a bridge's TLS connection to its remote broker, from the {@code bridge_*}
 * options: the remote's certificate must chain to bridge_cafile/bridge_capath and, unless
 * bridge_insecure, be for the host dialled; bridge_certfile/bridge_keyfile are presented when the
 * remote asks; bridge_alpn is offered; bridge_tls_version is the lowest version allowed.
 */
public final class BridgeTlsContext {

    /** OpenSSL names the alerts SSL 3.0 already had "sslv3 alert ...", the later ones "tlsv1 alert ...". */
    private static final Set<String> SSLV3_ALERTS = Set.of("unexpected_message", "bad_record_mac",
            "decompression_failure", "handshake_failure", "no_certificate", "bad_certificate",
            "unsupported_certificate", "certificate_revoked", "certificate_expired", "certificate_unknown",
            "illegal_parameter");
    private static final Map<String, String> TLS13_ALERTS = Map.of("certificate_required", "tlsv13 alert certificate required");
    private static final String RECEIVED_ALERT = "Received fatal alert: ";

    private final SslContext context;

    private BridgeTlsContext(SslContext context) {
        this.context = context;
    }

    /** Loads certificates and keys once, at start-up (and on SIGHUP); errors name the file, as the listener ones do. */
    public static BridgeTlsContext load(BridgeTls tls) throws TlsSetupException {
        if (tls.psk() != null) {
            // The configuration refuses bridge_psk; a context must never come without the encryption asked for.
            throw new TlsSetupException("TLS-PSK is not supported (the JDK has no TLS-PSK).");
        }
        List<X509Certificate> authorities = TrustedAuthorities.load(tls.cafile(), tls.capath());
        if (authorities.isEmpty()) {
            throw new TlsSetupException("No certificate authority found in "
                    + tls.cafile().or(tls::capath).map(Path::toString).orElse("bridge_cafile or bridge_capath") + ".");
        }
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(TlsVersions.allowedFrom(tls.tlsVersion()))
                // BridgeTrustManager checks the host name itself, after the chain, so that it can say which failed.
                .endpointIdentificationAlgorithm(null)
                .trustManager(trustManager(authorities, tls));
        if (tls.certfile().isPresent() && tls.keyfile().isPresent()) {
            List<X509Certificate> chain = PemFiles.certificates(tls.certfile().get());
            PrivateKey key = PemFiles.privateKey(tls.keyfile().get(), "client key file");
            builder.keyManager(key, chain.toArray(new X509Certificate[0]));
        }
        if (tls.alpn() != null) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    // as OpenSSL: a remote that picks no protocol is still talked to
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, tls.alpn()));
        }
        try {
            return new BridgeTlsContext(builder.build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsSetupException("Unable to set up TLS for the bridge (bridge_certfile "
                    + tls.certfile().map(Path::toString).orElse("none") + ", bridge_keyfile "
                    + tls.keyfile().map(Path::toString).orElse("none") + "): " + e.getMessage(), e);
        }
    }

    /** A handler for one connection to host:port: SNI = host, host name verification unless bridge_insecure. */
    public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        return context.newHandler(alloc, host, port);
    }

    /** The reason a handshake failed, for the bridge's one log line (mosquitto-like, e.g. "certificate verify failed"). */
    public static String describe(Throwable handshakeFailure) {
        for (Throwable cause = handshakeFailure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PeerRejected rejected) {
                return rejected.reason();
            }
        }
        for (Throwable cause = handshakeFailure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLHandshakeException && cause.getMessage() != null) {
                return openSslWording(cause.getMessage());
            }
        }
        String message = handshakeFailure.getMessage();
        return message == null ? handshakeFailure.getClass().getSimpleName() : message;
    }

    private static String openSslWording(String jdkMessage) {
        if (jdkMessage.startsWith(RECEIVED_ALERT)) {
            String alert = jdkMessage.substring(RECEIVED_ALERT.length()).trim();
            if (TLS13_ALERTS.containsKey(alert)) {
                return TLS13_ALERTS.get(alert);
            }
            return (SSLV3_ALERTS.contains(alert) ? "sslv3" : "tlsv1") + " alert " + alert.replace('_', ' ');
        }
        if (jdkMessage.startsWith("No appropriate protocol")) {
            return "unsupported protocol";
        }
        return jdkMessage.toLowerCase(Locale.ROOT).startsWith("no negotiable cipher suite") ? "no shared cipher" : jdkMessage;
    }

    private static TrustManager trustManager(List<X509Certificate> authorities, BridgeTls tls) throws TlsSetupException {
        try {
            KeyStore trusted = TrustedAuthorities.keyStore(authorities);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            if (tls.requireOcsp()) {
                factory.init(new CertPathTrustManagerParameters(stapledOcspOnly(trusted)));
            } else {
                factory.init(trusted);
            }
            X509ExtendedTrustManager chainCheck = null;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    chainCheck = x509;
                }
            }
            if (chainCheck == null) {
                throw new GeneralSecurityException("no X.509 trust manager in the PKIX provider");
            }
            return new BridgeTrustManager(chainCheck, !tls.insecure(), tls.requireOcsp());
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException("Unable to use the certificate authorities of "
                    + tls.cafile().or(tls::capath).map(Path::toString).orElse("the bridge") + ": " + e.getMessage(), e);
        }
    }

    /**
     * The remote's own certificate is checked against the OCSP response it stapled (the JDK hands
     * stapled responses to this checker), as mosquitto checks only the stapled response; no responder
     * is asked and no CRL is fetched.
     */
    private static PKIXBuilderParameters stapledOcspOnly(KeyStore trusted) throws GeneralSecurityException {
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(trusted, new X509CertSelector());
        PKIXRevocationChecker ocsp = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX").getRevocationChecker();
        ocsp.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY, PKIXRevocationChecker.Option.NO_FALLBACK));
        parameters.addCertPathChecker(ocsp);
        parameters.setRevocationEnabled(true);
        return parameters;
    }
}
