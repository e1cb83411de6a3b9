package io.midge.server.net;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** The user name a verified client certificate stands for (use_identity_as_username, use_subject_as_username). */
final class ClientCertificates {

    private ClientCertificates() {}

    /**
     * @param wholeSubject the certificate's subject in RFC 2253 form (use_subject_as_username)
     *                     rather than its common name (use_identity_as_username)
     * @return null when the connection has no verified client certificate
     */
    static String username(ChannelPipeline pipeline, boolean wholeSubject) {
        SslHandler tls = pipeline.get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate client)) {
                return null;
            }
            X500Principal subject = client.getSubjectX500Principal();
            return wholeSubject ? subject.getName(X500Principal.RFC2253) : commonName(subject);
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        }
    }

    private static String commonName(X500Principal subject) {
        try {
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
