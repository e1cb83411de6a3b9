package io.midge.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The certificate authorities of a {@code cafile} and {@code capath} (listener) or {@code bridge_cafile} and {@code bridge_capath}. */
final class TrustedAuthorities {

    private TrustedAuthorities() {}

    static List<X509Certificate> load(Optional<Path> cafile, Optional<Path> capath) throws TlsSetupException {
        List<X509Certificate> authorities = new ArrayList<>();
        if (cafile.isPresent()) {
            authorities.addAll(PemFiles.certificates(cafile.get()));
        }
        if (capath.isPresent()) {
            authorities.addAll(certificatesIn(capath.get()));
        }
        return authorities;
    }

    /** A key store holding {@code authorities} as trusted entries, what PKIX trust managers start from. */
    static KeyStore keyStore(List<X509Certificate> authorities) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        for (int i = 0; i < authorities.size(); i++) {
            trusted.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        return trusted;
    }

    /** capath is a directory of PEM files (OpenSSL's hashed links among them); files that hold no certificate are skipped. */
    private static List<X509Certificate> certificatesIn(Path directory) throws TlsSetupException {
        List<X509Certificate> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                try {
                    found.addAll(PemFiles.certificates(file));
                } catch (TlsSetupException notACertificate) {
                    // capath directories often hold CRLs and other files too
                }
            }
        } catch (IOException e) {
            throw new TlsSetupException("Unable to read capath directory " + directory + ": " + e.getMessage(), e);
        }
        return found;
    }
}
