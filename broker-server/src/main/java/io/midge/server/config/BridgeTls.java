package io.midge.server.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings of a bridge's connection to the remote broker ({@code bridge_*} options).
 *
 * @param cafile {@code bridge_cafile}
 * @param capath {@code bridge_capath}
 * @param certfile {@code bridge_certfile}
 * @param keyfile {@code bridge_keyfile}
 * @param insecure {@code bridge_insecure}: skip host name verification
 * @param tlsVersion {@code bridge_tls_version}, or {@code null}
 * @param alpn {@code bridge_alpn}, or {@code null}
 * @param requireOcsp {@code bridge_require_ocsp}
 * @param pskIdentity {@code bridge_identity}, or {@code null}
 * @param psk {@code bridge_psk} as hex digits, or {@code null}
 */
public record BridgeTls(
        Optional<Path> cafile,
        Optional<Path> capath,
        Optional<Path> certfile,
        Optional<Path> keyfile,
        boolean insecure,
        String tlsVersion,
        String alpn,
        boolean requireOcsp,
        String pskIdentity,
        String psk) {

    /** Rejects null optionals. */
    public BridgeTls {
        Objects.requireNonNull(cafile, "cafile");
        Objects.requireNonNull(capath, "capath");
        Objects.requireNonNull(certfile, "certfile");
        Objects.requireNonNull(keyfile, "keyfile");
    }

    /** Whether the bridge connects with TLS (certificate based or PSK). */
    public boolean isEnabled() {
        return cafile.isPresent() || capath.isPresent() || psk != null;
    }

    @Override
    public String toString() {
        return "BridgeTls[cafile=" + cafile + ", capath=" + capath + ", certfile=" + certfile
                + ", keyfile=" + keyfile + ", insecure=" + insecure + ", tlsVersion=" + tlsVersion
                + ", alpn=" + alpn + ", requireOcsp=" + requireOcsp + ", pskIdentity=" + pskIdentity
                + ", psk=" + (psk == null ? null : "***") + "]";
    }
}
