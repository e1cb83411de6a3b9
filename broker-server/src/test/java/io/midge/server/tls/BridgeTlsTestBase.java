package io.midge.server.tls;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The certificates and the event loop every bridge TLS test class makes once. */
abstract class BridgeTlsTestBase {

    @TempDir
    static Path dir;
    static OpensslCertificates certs;
    static LoopbackClient bridgeSide;

    @BeforeAll
    static void makeCertificates() throws IOException {
        certs = new OpensslCertificates(dir);
        bridgeSide = new LoopbackClient();
    }

    @AfterAll
    static void stopLoop() {
        bridgeSide.close();
    }
}
