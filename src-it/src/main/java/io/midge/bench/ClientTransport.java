package io.midge.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Native epoll on Linux where it loads, Java NIO elsewhere (or when -Dmidge.bench.nio=true). */
enum ClientTransport {
    EPOLL, NIO;

    static ClientTransport best() {
        return !Boolean.getBoolean("midge.bench.nio") && Epoll.isAvailable() ? EPOLL : NIO;
    }

    EventLoopGroup newGroup(int threads) {
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new BenchThreadFactory(), factory);
    }

    Class<? extends SocketChannel> channelClass() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Daemon threads, so a failed run can never keep the JVM alive. */
    private static final class BenchThreadFactory extends io.netty.util.concurrent.DefaultThreadFactory {
        BenchThreadFactory() {
            super("bench-loop", true);
        }
    }
}
