package io.midge.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files mosquitto's TLS options point at: certificate chains, CRLs and unencrypted
 * private keys in PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY")
 * form, the last two being what older openssl commands write and what many mosquitto set-ups hold.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private PemFiles() {}

    static List<X509Certificate> certificates(Path file) throws TlsSetupException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends java.security.cert.Certificate> read =
                    factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
            List<X509Certificate> certificates = new ArrayList<>();
            for (java.security.cert.Certificate certificate : read) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new TlsSetupException("No certificate found in " + file + ".");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException("Unable to load certificate(s) from " + file + ": " + reason(e), e);
        }
    }

    static Collection<? extends CRL> crls(Path file) throws TlsSetupException {
        try {
            return CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(Files.readAllBytes(file)));
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException("Unable to load CRL file " + file + ": " + reason(e), e);
        }
    }

    /** A listener's keyfile. */
    static PrivateKey privateKey(Path file) throws TlsSetupException {
        return privateKey(file, "server key file");
    }

    /** @param role what the file is to the reader of an error, e.g. "client key file" for a bridge's */
    static PrivateKey privateKey(Path file, String role) throws TlsSetupException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsSetupException("Unable to load " + role + " " + file + ": " + reason(e), e);
        }
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            byte[] pkcs8 = switch (type) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> Pkcs8.wrapRsa(der);
                case "EC PRIVATE KEY" -> Pkcs8.wrapEc(der);
                case "ENCRYPTED PRIVATE KEY" -> throw new TlsSetupException(capitalized(role) + " " + file
                        + " is encrypted; Midge reads unencrypted keys (decrypt it with 'openssl pkey').");
                default -> null; // e.g. "EC PARAMETERS" before the key
            };
            if (pkcs8 != null) {
                return decode(pkcs8, file);
            }
        }
        throw new TlsSetupException("No private key found in " + role + " " + file + ".");
    }

    private static PrivateKey decode(byte[] pkcs8, Path file) throws TlsSetupException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException tryNext) {
                // the PEM label of a PKCS#8 key does not say which algorithm it is for
            }
        }
        throw new TlsSetupException("Unable to read the private key in " + file + " (unsupported key type).");
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
