package io.midge.server.tls;

import java.util.List;

/**
 * mosquitto's {@code tls_version} and {@code bridge_tls_version}: with OpenSSL both turn off the
 * versions below the named one (mosquitto sets {@code SSL_OP_NO_*} for older versions only), so the
 * named version is the lowest allowed, not the only one.
 */
final class TlsVersions {

    private static final List<String> NEWEST_FIRST = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1");
    private static final String[] DEFAULT = {"TLSv1.3", "TLSv1.2"};

    private TlsVersions() {}

    /** The JDK protocol names allowed for {@code tlsVersion} (null: the default). */
    static String[] allowedFrom(String tlsVersion) throws TlsSetupException {
        if (tlsVersion == null) {
            return DEFAULT.clone();
        }
        for (int i = 0; i < NEWEST_FIRST.size(); i++) {
            if (NEWEST_FIRST.get(i).equalsIgnoreCase(tlsVersion)) {
                return NEWEST_FIRST.subList(0, i + 1).toArray(new String[0]);
            }
        }
        throw new TlsSetupException("Unsupported tls_version " + tlsVersion + " (expected tlsv1.3, tlsv1.2 or tlsv1.1).");
    }
}
