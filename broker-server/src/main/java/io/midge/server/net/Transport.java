package io.midge.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;

import java.nio.channels.spi.SelectorProvider;

/** Native epoll on Linux where it loads, Java NIO elsewhere. */
enum Transport {
    EPOLL, NIO;

    /** setsockopt(IPPROTO_IPV6, IPV6_V6ONLY), the same numbers on every Linux architecture. */
    private static final ChannelOption<Integer> IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

    static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    EventLoopGroup newGroup(int threads) {
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    /** The channel of outgoing connections (bridges). */
    Class<? extends Channel> clientChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Whether an IPv6 socket can be kept off IPv4; Java NIO has no IPV6_V6ONLY. */
    boolean canBindIpv6Only() {
        return this == EPOLL;
    }

    /** A server socket of the socket's own address family, IPv6-only where it asks to be. */
    void configure(ServerBootstrap bootstrap, ListenSocket socket) {
        SocketProtocolFamily family = socket.isIpv6() ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        ChannelFactory<ServerChannel> channels = this == EPOLL
                ? () -> new EpollServerSocketChannel(family)
                : () -> new NioServerSocketChannel(SelectorProvider.provider(), family);
        bootstrap.channelFactory(channels);
        if (socket.ipv6Only() && canBindIpv6Only()) {
            bootstrap.option(IPV6_V6ONLY, 1);
        }
    }
}
