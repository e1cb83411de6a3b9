package io.midge.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What systemd does for a {@code Type=notify} service: a unix datagram socket whose name goes into
 * the service's {@code NOTIFY_SOCKET}, collecting each state message ({@code READY=1}, ...).
 */
final class NotifySocket implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final String notifySocket;
    private final Channel channel;
    private volatile Consumer<String> onMessage = message -> {};

    /** @param notifySocket a path, or {@code @name} for a socket in the abstract namespace */
    private NotifySocket(String notifySocket) throws InterruptedException {
        this.notifySocket = notifySocket;
        String address = notifySocket.startsWith("@") ? "\0" + notifySocket.substring(1) : notifySocket;
        this.channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        String message = packet.content().toString(StandardCharsets.UTF_8);
                        onMessage.accept(message);
                        messages.add(message);
                    }
                })
                .bind(new DomainSocketAddress(address)).sync().channel();
    }

    static NotifySocket bind(String notifySocket) throws InterruptedException {
        return new NotifySocket(notifySocket);
    }

    /** The value for {@code NOTIFY_SOCKET}. */
    String name() {
        return notifySocket;
    }

    /** Runs on the receiving thread as each message arrives, before {@link #next} returns it. */
    void onMessage(Consumer<String> action) {
        this.onMessage = action;
    }

    /** The next message, or null if none comes within {@code timeout}. */
    String next(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
