package io.midge.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.server.config.BridgeTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bridge's TLS client handler against a TLS server on loopback. */
class BridgeTlsContextTest extends BridgeTlsTestBase {

    private Channel server;
    /** What the server saw of the last handshake. */
    private final CompletableFuture<SSLSession> serverSession = new CompletableFuture<>();
    private final CompletableFuture<String> serverAlpn = new CompletableFuture<>();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
    }

    @Test
    void handshakeSucceedsWithTheRemotesCa() throws Exception {
        int port = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile()));

        SslHandler client = bridgeSide.handshake(load(tls(certs.crt("ca"))), "localhost", port);

        assertTrue(client.handshakeFuture().isSuccess(), () -> String.valueOf(client.handshakeFuture().cause()));
    }

    @Test
    void capathDirectoryIsTrustedToo() throws Exception {
        Path capath = Files.createDirectories(dir.resolve("capath"));
        Files.copy(certs.crt("ca"), capath.resolve("ca.pem"));
        Files.writeString(capath.resolve("README"), "not a certificate");
        int port = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile()));

        BridgeTls tls = new BridgeTls(Optional.empty(), Optional.of(capath), Optional.empty(), Optional.empty(),
                false, null, null, false, null, null);
        SslHandler client = bridgeSide.handshake(load(tls), "127.0.0.1", port);

        assertTrue(client.handshakeFuture().isSuccess(), () -> String.valueOf(client.handshakeFuture().cause()));
    }

    @Test
    void wrongCaFailsAsCertificateVerifyFailed() throws Exception {
        int port = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile()));

        SslHandler client = bridgeSide.handshake(load(tls(certs.crt("other-ca"))), "localhost", port);

        assertEquals("certificate verify failed", BridgeTlsContext.describe(client.handshakeFuture().cause()));
    }

    @Test
    void hostNameMismatchFailsUnlessInsecure() throws Exception {
        int port = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile()));

        SslHandler checked = bridgeSide.handshake(load(tls(certs.crt("ca"))), "broker.example", port);
        BridgeTls insecure = new BridgeTls(Optional.of(certs.crt("ca")), Optional.empty(), Optional.empty(),
                Optional.empty(), true, null, null, false, null, null);
        SslHandler unchecked = bridgeSide.handshake(load(insecure), "broker.example", port);

        assertEquals("host name verification failed", BridgeTlsContext.describe(checked.handshakeFuture().cause()));
        assertTrue(unchecked.handshakeFuture().isSuccess(), () -> String.valueOf(unchecked.handshakeFuture().cause()));
    }

    @Test
    void insecureStillChecksTheChain() throws Exception {
        int port = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile()));
        BridgeTls insecure = new BridgeTls(Optional.of(certs.crt("other-ca")), Optional.empty(), Optional.empty(),
                Optional.empty(), true, null, null, false, null, null);

        SslHandler client = bridgeSide.handshake(load(insecure), "localhost", port);

        assertEquals("certificate verify failed", BridgeTlsContext.describe(client.handshakeFuture().cause()));
    }

    @Test
    void ipAddressIsCheckedAgainstIpAlternativeNames() throws Exception {
        int port = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile()));

        SslHandler listed = bridgeSide.handshake(load(tls(certs.crt("ca"))), "127.0.0.1", port);
        SslHandler unlisted = bridgeSide.handshake(load(tls(certs.crt("ca"))), "127.0.0.2", port);

        assertTrue(listed.handshakeFuture().isSuccess(), () -> String.valueOf(listed.handshakeFuture().cause()));
        assertEquals("host name verification failed", BridgeTlsContext.describe(unlisted.handshakeFuture().cause()));
    }

    @Test
    void clientCertificateIsPresentedWhenConfigured() throws Exception {
        int port = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile())
                .trustManager(certs.crt("ca").toFile()).clientAuth(ClientAuth.REQUIRE));
        BridgeTls tls = new BridgeTls(Optional.of(certs.crt("ca")), Optional.empty(), Optional.of(certs.crt("bridge")),
                Optional.of(certs.key("bridge")), false, null, null, false, null, null);

        SslHandler client = bridgeSide.handshake(load(tls), "localhost", port);

        assertTrue(client.handshakeFuture().isSuccess(), () -> String.valueOf(client.handshakeFuture().cause()));
        X509Certificate presented = (X509Certificate) serverSession.get(5, TimeUnit.SECONDS).getPeerCertificates()[0];
        assertEquals("CN=" + OpensslCertificates.BRIDGE_CN, presented.getSubjectX500Principal().getName());
    }

    @Test
    void noClientCertificateWhenNoneIsConfigured() throws Exception {
        int port = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile())
                .trustManager(certs.crt("ca").toFile()).clientAuth(ClientAuth.OPTIONAL));

        SslHandler client = bridgeSide.handshake(load(tls(certs.crt("ca"))), "localhost", port);

        assertTrue(client.handshakeFuture().isSuccess(), () -> String.valueOf(client.handshakeFuture().cause()));
        SSLSession seen = serverSession.get(5, TimeUnit.SECONDS);
        assertThrows(SSLPeerUnverifiedException.class, seen::getPeerCertificates);
    }

    @Test
    void tlsVersionIsTheLowestAllowed() throws Exception {
        int tls13Only = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile())
                .protocols("TLSv1.3"));

        SslHandler client = bridgeSide.handshake(load(tlsVersion("tlsv1.2")), "localhost", tls13Only);

        assertTrue(client.handshakeFuture().isSuccess(), () -> String.valueOf(client.handshakeFuture().cause()));
        assertEquals("TLSv1.3", client.engine().getSession().getProtocol());
    }

    @Test
    void versionBelowTheConfiguredOneIsRefused() throws Exception {
        int tls12Only = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile())
                .protocols("TLSv1.2"));

        SslHandler client = bridgeSide.handshake(load(tlsVersion("tlsv1.3")), "localhost", tls12Only);

        assertEquals("tlsv1 alert protocol version", BridgeTlsContext.describe(client.handshakeFuture().cause()));
    }

    @Test
    void alpnProtocolIsOffered() throws Exception {
        int port = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "mqtt", "x-other")));
        BridgeTls tls = new BridgeTls(Optional.of(certs.crt("ca")), Optional.empty(), Optional.empty(), Optional.empty(),
                false, null, "mqtt", false, null, null);

        SslHandler client = bridgeSide.handshake(load(tls), "localhost", port);

        assertTrue(client.handshakeFuture().isSuccess(), () -> String.valueOf(client.handshakeFuture().cause()));
        assertEquals("mqtt", serverAlpn.get(5, TimeUnit.SECONDS));
        assertEquals("mqtt", client.applicationProtocol());
    }

    @Test
    void noAlpnWithoutTheOption() throws Exception {
        int port = startServer(SslContextBuilder.forServer(certs.crt("server").toFile(), certs.key("server").toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "mqtt")));

        SslHandler client = bridgeSide.handshake(load(tls(certs.crt("ca"))), "localhost", port);

        assertTrue(client.handshakeFuture().isSuccess(), () -> String.valueOf(client.handshakeFuture().cause()));
        assertNull(client.applicationProtocol());
    }

    @Test
    void missingFilesAreNamed() {
        Path missing = dir.resolve("nowhere.crt");
        TlsSetupException noCa = assertThrows(TlsSetupException.class, () -> BridgeTlsContext.load(tls(missing)));
        BridgeTls noKey = new BridgeTls(Optional.of(certs.crt("ca")), Optional.empty(), Optional.of(certs.crt("bridge")),
                Optional.of(dir.resolve("nowhere.key")), false, null, null, false, null, null);
        TlsSetupException noKeyError = assertThrows(TlsSetupException.class, () -> BridgeTlsContext.load(noKey));

        assertEquals("Unable to load certificate(s) from " + missing + ": no such file", noCa.getMessage());
        assertEquals("Unable to load client key file " + dir.resolve("nowhere.key") + ": no such file",
                noKeyError.getMessage());
    }

    @Test
    void unreadableFilesAreNamed() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not PEM at all\n");
        BridgeTls garbageCert = new BridgeTls(Optional.of(certs.crt("ca")), Optional.empty(), Optional.of(garbage),
                Optional.of(certs.key("bridge")), false, null, null, false, null, null);
        BridgeTls garbageKey = new BridgeTls(Optional.of(certs.crt("ca")), Optional.empty(),
                Optional.of(certs.crt("bridge")), Optional.of(garbage), false, null, null, false, null, null);

        String certError = assertThrows(TlsSetupException.class, () -> BridgeTlsContext.load(garbageCert)).getMessage();
        String keyError = assertThrows(TlsSetupException.class, () -> BridgeTlsContext.load(garbageKey)).getMessage();

        assertTrue(certError.contains(garbage.toString()), certError);
        assertEquals("No private key found in client key file " + garbage + ".", keyError);
    }

    @Test
    void encryptedKeyIsRefusedAsOnListeners() {
        certs.run("pkey", "-in", "bridge.key", "-aes256", "-passout", "pass:secret", "-out", "encrypted.key");
        BridgeTls tls = new BridgeTls(Optional.of(certs.crt("ca")), Optional.empty(), Optional.of(certs.crt("bridge")),
                Optional.of(dir.resolve("encrypted.key")), false, null, null, false, null, null);

        String error = assertThrows(TlsSetupException.class, () -> BridgeTlsContext.load(tls)).getMessage();

        assertTrue(error.startsWith("Client key file " + dir.resolve("encrypted.key") + " is encrypted"), error);
    }

    @Test
    void describeNamesAlertsAsOpenSsl() {
        assertEquals("tlsv1 alert unknown ca", BridgeTlsContext.describe(
                new javax.net.ssl.SSLHandshakeException("Received fatal alert: unknown_ca")));
        assertEquals("sslv3 alert handshake failure", BridgeTlsContext.describe(
                new io.netty.handler.codec.DecoderException(
                        new javax.net.ssl.SSLHandshakeException("Received fatal alert: handshake_failure"))));
    }

    private static BridgeTls tls(Path cafile) {
        return new BridgeTls(Optional.of(cafile), Optional.empty(), Optional.empty(), Optional.empty(),
                false, null, null, false, null, null);
    }

    private static BridgeTls tlsVersion(String version) {
        return new BridgeTls(Optional.of(certs.crt("ca")), Optional.empty(), Optional.empty(), Optional.empty(),
                false, version, null, false, null, null);
    }

    private static BridgeTlsContext load(BridgeTls tls) throws TlsSetupException {
        return BridgeTlsContext.load(tls);
    }

    private int startServer(SslContextBuilder builder) throws Exception {
        SslContext context = builder.sslProvider(SslProvider.JDK).build();
        server = new ServerBootstrap().group(bridgeSide.group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SslHandler tls = context.newHandler(channel.alloc());
                        channel.pipeline().addLast(tls);
                        tls.handshakeFuture().addListener((Future<Channel> done) -> {
                            if (done.isSuccess()) {
                                serverAlpn.complete(String.valueOf(tls.applicationProtocol()));
                                serverSession.complete(tls.engine().getSession());
                            } else {
                                serverSession.completeExceptionally(done.cause());
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }
}
