package io.midge.server.tls;

import io.midge.server.config.ListenerConfig;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Builds a listener's server-side TLS context from mosquitto's options. */
public final class TlsContexts {

    private TlsContexts() {}

    public static SslContext forListener(ListenerConfig listener) throws TlsSetupException {
        Path certfile = listener.certfile().orElseThrow();
        Path keyfile = listener.keyfile().orElseThrow(
                () -> new TlsSetupException("Listener on port " + listener.port() + " has a certfile but no keyfile."));
        List<X509Certificate> chain = PemFiles.certificates(certfile);
        PrivateKey key = PemFiles.privateKey(keyfile);
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                .sslProvider(SslProvider.JDK)
                .protocols(TlsVersions.allowedFrom(listener.tlsVersion()));
        List<X509Certificate> authorities = TrustedAuthorities.load(listener.cafile(), listener.capath());
        if (!authorities.isEmpty()) {
            builder.trustManager(trustManagerFactory(authorities, listener));
        }
        builder.clientAuth(listener.requireCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        if (listener.ciphers() != null) {
            builder.ciphers(javaCipherNames(listener.ciphers()));
        }
        if (listener.requireCertificate() && authorities.isEmpty()) {
            throw new TlsSetupException("Listener on port " + listener.port()
                    + ": require_certificate needs cafile or capath to check client certificates against.");
        }
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsSetupException("Unable to set up TLS for listener on port " + listener.port()
                    + " (certfile " + certfile + ", keyfile " + keyfile + "): " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManagerFactory(List<X509Certificate> authorities, ListenerConfig listener)
            throws TlsSetupException {
        try {
            KeyStore trusted = TrustedAuthorities.keyStore(authorities);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            if (listener.crlfile().isPresent()) {
                Collection<? extends CRL> crls = PemFiles.crls(listener.crlfile().get());
                PKIXBuilderParameters parameters = new PKIXBuilderParameters(trusted, new X509CertSelector());
                parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
                parameters.setRevocationEnabled(true);
                factory.init(new CertPathTrustManagerParameters(parameters));
            } else {
                factory.init(trusted);
            }
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException("Unable to use the certificate authorities of listener on port "
                    + listener.port() + ": " + e.getMessage(), e);
        }
    }

    /** mosquitto takes OpenSSL cipher names ("ECDHE-RSA-AES128-GCM-SHA256:..."); the JDK wants IANA names. */
    private static List<String> javaCipherNames(String openSslList) {
        return Arrays.stream(openSslList.split("[:, ]+"))
                .filter(name -> !name.isEmpty())
                .map(name -> {
                    String java = CipherSuiteConverter.toJava(name, "TLS");
                    return java != null ? java : name;
                })
                .toList();
    }
}
