package io.midge.server.tls;

import io.netty.util.NetUtil;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * mosquitto's check that the remote's certificate is for the host the bridge dialled: an IP address
 * against the IP subject alternative names, a name against the DNS ones (a leading {@code *.}
 * standing for one label), and the common name only when the certificate has neither kind.
 */
final class HostNames {

    private static final int DNS = 2;
    private static final int IP = 7;

    private HostNames() {}

    static boolean matches(X509Certificate certificate, String host) throws CertificateParsingException {
        byte[] address = NetUtil.createByteArrayFromIpAddressString(host);
        boolean hasAlternativeNames = false;
        Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
        if (alternatives != null) {
            for (List<?> entry : alternatives) {
                int type = (Integer) entry.get(0);
                String value = String.valueOf(entry.get(1));
                if (type == DNS || type == IP) {
                    hasAlternativeNames = true;
                }
                if (type == IP && address != null && Arrays.equals(address, NetUtil.createByteArrayFromIpAddressString(value))) {
                    return true;
                }
                if (type == DNS && address == null && nameMatches(value, host)) {
                    return true;
                }
            }
        }
        if (hasAlternativeNames) {
            return false;
        }
        String commonName = commonName(certificate);
        return commonName != null && (address == null ? nameMatches(commonName, host) : commonName.equals(host));
    }

    private static boolean nameMatches(String pattern, String host) {
        String name = lower(pattern);
        String wanted = lower(host);
        if (name.startsWith("*.")) {
            int dot = wanted.indexOf('.');
            return dot > 0 && wanted.substring(dot).equals(name.substring(1));
        }
        return name.equals(wanted);
    }

    /** A trailing dot makes the same DNS name. */
    private static String lower(String name) {
        String lowered = name.toLowerCase(Locale.ROOT);
        return lowered.endsWith(".") ? lowered.substring(0, lowered.length() - 1) : lowered;
    }

    private static String commonName(X509Certificate certificate) {
        try {
            List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdns.get(i).getValue());
                }
            }
        } catch (InvalidNameException unreadable) {
            // a subject the JDK printed but cannot parse back names no host
        }
        return null;
    }
}
