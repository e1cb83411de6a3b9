package io.midge.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test certificates made with the {@code openssl} command line tool into a directory (a
 * {@code @TempDir}):
 * <ul>
 *   <li>{@code ca.crt}/{@code ca.key}: the test CA;</li>
 *   <li>{@code server.crt}/{@code server.key}: signed by the CA, subjectAltName IP:127.0.0.1 and DNS:localhost;</li>
 *   <li>{@code client.crt}/{@code client.key}: signed by the CA, CN {@value #CLIENT_CN} (extendedKeyUsage clientAuth);</li>
 *   <li>{@code other-ca.crt}/{@code other-ca.key}: a second CA that has nothing to do with the first;</li>
 *   <li>{@code other-client.crt}/{@code other-client.key}: a client certificate signed by the other CA.</li>
 * </ul>
 * Keys are RSA 2048 in PKCS#8 PEM ("BEGIN PRIVATE KEY"), what {@code openssl req -newkey} writes.
 * The directory and files are made world-readable: mosquitto started as root drops to the
 * {@code mosquitto} user.
 */
public final class TestCerts {

    public static final String CLIENT_CN = "tls-client";
    public static final String OTHER_CLIENT_CN = "intruder";

    public final Path dir;
    public final Path caCert;
    public final Path caKey;
    public final Path serverCert;
    public final Path serverKey;
    public final Path clientCert;
    public final Path clientKey;
    public final Path otherCaCert;
    public final Path otherClientCert;
    public final Path otherClientKey;

    private TestCerts(Path dir) {
        this.dir = dir;
        caCert = dir.resolve("ca.crt");
        caKey = dir.resolve("ca.key");
        serverCert = dir.resolve("server.crt");
        serverKey = dir.resolve("server.key");
        clientCert = dir.resolve("client.crt");
        clientKey = dir.resolve("client.key");
        otherCaCert = dir.resolve("other-ca.crt");
        otherClientCert = dir.resolve("other-client.crt");
        otherClientKey = dir.resolve("other-client.key");
    }

    /** Generates the whole set into {@code dir} (about a second). */
    public static TestCerts generate(Path dir) {
        TestCerts c = new TestCerts(dir);
        try {
            TestFiles.shareDir(dir);
            c.makeCa("ca", "Midge Test CA");
            c.makeCa("other-ca", "Unrelated Test CA");
            Files.writeString(dir.resolve("server.ext"), String.join("\n",
                    "basicConstraints=CA:FALSE",
                    "keyUsage=critical,digitalSignature,keyEncipherment",
                    "extendedKeyUsage=serverAuth",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost", ""), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("client.ext"), String.join("\n",
                    "basicConstraints=CA:FALSE",
                    "keyUsage=critical,digitalSignature,keyEncipherment",
                    "extendedKeyUsage=clientAuth", ""), StandardCharsets.UTF_8);
            c.makeLeaf("server", "localhost", "ca", "server.ext");
            c.makeLeaf("client", CLIENT_CN, "ca", "client.ext");
            c.makeLeaf("other-client", OTHER_CLIENT_CN, "other-ca", "client.ext");
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    TestFiles.shareFile(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c;
    }

    private void makeCa(String name, String cn) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                "-keyout", name + ".key", "-out", name + ".crt", "-subj", "/O=Midge tests/CN=" + cn,
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void makeLeaf(String name, String cn, String ca, String extFile) {
        openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/O=Midge tests/CN=" + cn);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-set_serial", Long.toString(System.nanoTime() & 0x7FFFFFFFFFFFL), "-days", "2", "-sha256",
                "-extfile", extFile, "-out", name + ".crt");
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("`" + String.join(" ", cmd) + "` failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl (apt-get install openssl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ Java side

    /** A TLS client context trusting {@code trustedCa}, presenting no certificate. */
    /** The {@code cafile} / {@code certfile} / {@code keyfile} lines of a TLS listener with these files. */
    public List<String> serverConfig() {
        return List.of("cafile " + caCert, "certfile " + serverCert, "keyfile " + serverKey);
    }

    public static SSLContext clientContext(Path trustedCa) {
        return clientContext(trustedCa, null, null);
    }

    /** A TLS client context trusting {@code trustedCa} and, when given, presenting {@code cert}/{@code key}. */
    public static SSLContext clientContext(Path trustedCa, Path cert, Path key) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", readCert(trustedCa));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (cert != null) {
                char[] pw = "changeit".toCharArray();
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", readKey(key), pw, new Certificate[] {readCert(cert)});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, pw);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an SSLContext from " + trustedCa + ", " + cert, e);
        }
    }

    static Certificate readCert(Path pem) throws IOException, GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    static PrivateKey readKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException(pem + " is not a PKCS#8 PEM private key");
        }
        String b64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }
}
