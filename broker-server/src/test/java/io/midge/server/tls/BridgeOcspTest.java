package io.midge.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.server.config.BridgeTls;
import io.netty.util.concurrent.Future;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** bridge_require_ocsp against {@code openssl s_server}, which staples the OCSP response it is given, as mosquitto's remote would. */
class BridgeOcspTest extends BridgeTlsTestBase {

    private Process server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void goodStapledResponseIsAccepted() throws Exception {
        int port = startServer(certs.ocspResponse(false));

        Future<?> handshake = handshake(requireOcsp(true), port);

        assertTrue(handshake.isSuccess(), () -> String.valueOf(handshake.cause()));
    }

    @Test
    void noStapledResponseFailsAsMosquitto() throws Exception {
        int port = startServer(null);

        Future<?> required = handshake(requireOcsp(true), port);

        assertEquals("invalid status response", BridgeTlsContext.describe(required.cause()));
    }

    @Test
    void withoutTheOptionNoResponseIsNeeded() throws Exception {
        int port = startServer(null);

        Future<?> handshake = handshake(requireOcsp(false), port);

        assertTrue(handshake.isSuccess(), () -> String.valueOf(handshake.cause()));
    }

    @Test
    void revokedCertificateIsRefused() throws Exception {
        int port = startServer(certs.ocspResponse(true));

        Future<?> handshake = handshake(requireOcsp(true), port);

        assertEquals("invalid status response", BridgeTlsContext.describe(handshake.cause()));
    }

    private static BridgeTls requireOcsp(boolean required) {
        return new BridgeTls(Optional.of(certs.crt("ca")), Optional.empty(), Optional.empty(), Optional.empty(),
                false, null, null, required, null, null);
    }

    /** Starts s_server on a free loopback port, stapling {@code response} when given. */
    private int startServer(Path response) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", certs.crt("server").toString(), "-key", certs.key("server").toString()));
        if (response != null) {
            command.addAll(List.of("-status_file", response.toString()));
        }
        server = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null && !line.startsWith("ACCEPT")) {
            // s_server says ACCEPT once it listens
        }
        return port;
    }

    private static Future<?> handshake(BridgeTls tls, int port) throws Exception {
        return bridgeSide.handshake(BridgeTlsContext.load(tls), "localhost", port).handshakeFuture();
    }
}
