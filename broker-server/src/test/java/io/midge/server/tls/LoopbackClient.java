package io.midge.server.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One event loop for the tests' TLS servers and the bridge side's connections to them on 127.0.0.1. */
final class LoopbackClient implements AutoCloseable {

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    /** Connects to 127.0.0.1:port as a bridge dialling host would, and waits for the handshake's outcome. */
    SslHandler handshake(BridgeTlsContext context, String host, int port) throws Exception {
        CompletableFuture<SslHandler> handler = new CompletableFuture<>();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SslHandler tls = context.newHandler(channel.alloc(), host, port);
                        channel.pipeline().addLast(tls);
                        handler.complete(tls);
                    }
                })
                .connect("127.0.0.1", port).sync();
        SslHandler tls = handler.get(5, TimeUnit.SECONDS);
        tls.handshakeFuture().await(10, TimeUnit.SECONDS);
        return tls;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
