package io.midge.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for the bridge TLS tests, made by the openssl command into a test directory:
 * {@code ca}, a remote broker certificate {@code server} (signed by ca, for localhost and 127.0.0.1),
 * a bridge client certificate {@code bridge} (signed by ca, CN {@value #BRIDGE_CN}) and an unrelated
 * {@code other-ca}. Each NAME has NAME.crt and NAME.key (PKCS#8 PEM).
 */
final class OpensslCertificates {

    static final String BRIDGE_CN = "bridge-client";

    final Path dir;

    OpensslCertificates(Path dir) throws IOException {
        this.dir = dir;
        authority("ca", "Bridge Test CA");
        authority("other-ca", "Unrelated CA");
        signed("server", "localhost", "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        signed("bridge", BRIDGE_CN, "extendedKeyUsage=clientAuth\n");
    }

    Path crt(String name) {
        return dir.resolve(name + ".crt");
    }

    Path key(String name) {
        return dir.resolve(name + ".key");
    }

    /** An OCSP response for the server certificate from ca, "good" or (with revoked) "revoked", DER. */
    Path ocspResponse(boolean revoked) throws IOException {
        String serial = run("x509", "-in", "server.crt", "-noout", "-serial").trim().replace("serial=", "");
        String subject = run("x509", "-in", "server.crt", "-noout", "-subject", "-nameopt", "compat").trim()
                .replace("subject=", "").trim();
        String line = revoked
                ? "R\t301231235959Z\t240101000000Z\t" + serial + "\tunknown\t" + subject
                : "V\t301231235959Z\t\t" + serial + "\tunknown\t" + subject;
        Files.writeString(dir.resolve("index.txt"), line + "\n", StandardCharsets.US_ASCII);
        String response = revoked ? "revoked.der" : "good.der";
        run("ocsp", "-issuer", "ca.crt", "-cert", "server.crt", "-no_nonce", "-reqout", "request.der");
        run("ocsp", "-index", "index.txt", "-rsigner", "ca.crt", "-rkey", "ca.key", "-CA", "ca.crt",
                "-reqin", "request.der", "-respout", response, "-ndays", "1");
        return dir.resolve(response);
    }

    private void authority(String name, String commonName) {
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2", "-subj", "/CN=" + commonName,
                "-keyout", name + ".key", "-out", name + ".crt",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void signed(String name, String commonName, String extensions) throws IOException {
        Files.writeString(dir.resolve(name + ".ext"), "basicConstraints=CA:FALSE\n" + extensions);
        run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName,
                "-keyout", name + ".key", "-out", name + ".csr");
        run("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-sha256", "-extfile", name + ".ext", "-out", name + ".crt");
    }

    String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("openssl is needed to make test certificates", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
