package io.midge.server.net;

import io.midge.core.route.MemoryRetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.core.sys.BrokerStats;
import io.midge.core.sys.SysPublisher;
import io.midge.server.cli.MidgeVersion;
import io.midge.server.config.BrokerConfig;
import io.midge.server.config.ListenerConfig;
import io.midge.server.config.ListenerProtocol;
import io.midge.server.config.SocketDomain;
import io.midge.server.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The running broker: its services, event loops and listening sockets. */
public final class MidgeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("midge");
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long SESSION_EXPIRY_SWEEP_SECONDS = 60;
    private static final AdaptiveRecvByteBufAllocator RECEIVE_BUFFER_SIZING = new AdaptiveRecvByteBufAllocator();

    private final BrokerConfig config;
    private final BrokerServices services;
    private final Transport transport = Transport.best();
    private final EventLoopGroup loops;
    private final List<Channel> listeners = new ArrayList<>();
    private final ListenerSecurity security;

    public MidgeServer(BrokerConfig config) {
        this.config = config;
        this.loops = transport.newGroup(eventLoopThreads());
        Router router = new Router(new MemoryRetainedStore(), config.retainAvailable());
        SessionLimits limits = new SessionLimits(config.maxInflightMessages(), config.maxQueuedMessages(),
                config.maxQueuedBytes(), config.queueQos0Messages(), config.upgradeOutgoingQos());
        SessionRegistry sessions = new SessionRegistry(limits, router::discardSubscriptions, Clock.systemUTC());
        ConnectionSettings settings = new ConnectionSettings(config.maxKeepalive(), config.allowZeroLengthClientId(),
                config.autoIdPrefix(), config.effectiveMessageSizeLimit(), config.connectionMessages(), config.retainAvailable(),
                CONNECT_TIMEOUT_MILLIS);
        this.services = new BrokerServices(router, sessions, new BrokerStats(), settings);
        this.security = new ListenerSecurity(config);
    }

    /**
     * Event loop threads: {@code -Dmidge.threads=N}, else one per core. Not a config file option,
     * so that the same file still works with mosquitto.
     */
    private static int eventLoopThreads() {
        int threads = Integer.getInteger("midge.threads", 0);
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    public BrokerServices services() {
        return services;
    }

    /** Binds every listener; on failure closes what was bound and rethrows. */
    public void start() throws Exception {
        try {
            for (ListenerConfig listener : config.listeners()) {
                listeners.add(bind(listener));
            }
        } catch (Exception e) {
            close();
            throw e;
        }
        if (config.sysInterval() > 0) {
            SysPublisher sys = new SysPublisher(services.router(), services.sessions(), services.stats(),
                    MidgeVersion.VERSION, System::currentTimeMillis);
            loops.next().scheduleAtFixedRate(sys, 0, config.sysInterval(), TimeUnit.SECONDS);
        }
        config.persistentClientExpiration().ifPresent(expiry -> loops.next().scheduleAtFixedRate(
                () -> services.sessions().expireSessions(expiry.toMillis()),
                SESSION_EXPIRY_SWEEP_SECONDS, SESSION_EXPIRY_SWEEP_SECONDS, TimeUnit.SECONDS));
    }

    private Channel bind(ListenerConfig listener) throws Exception {
        SslContext tls = listener.isTls() ? TlsContexts.forListener(listener) : null;
        ListenerContext context = security.contextFor(listener);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                // One allocator for all connections (each still gets its own small handle): the
                // default is an allocator object per channel, which idle connections pay for.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFER_SIZING)
                .childHandler(new ListenerInitializer(services, context, tls));
        Channel channel = bootstrap.bind(bindAddress(listener)).sync().channel();
        log.info("Opening {}{} listen socket on {} port {}.",
                listener.protocol() == ListenerProtocol.WEBSOCKETS ? "websockets" : "mqtt", tls == null ? "" : " (TLS)",
                listener.bindAddress() == null ? "all interfaces" : listener.bindAddress(), boundPort(channel));
        return channel;
    }

    /** socket_domain picks the address family when no bind address is given; by default both. */
    private static InetSocketAddress bindAddress(ListenerConfig listener) {
        if (listener.localOnly()) {
            return new InetSocketAddress("127.0.0.1", listener.port());
        }
        if (listener.bindAddress() != null) {
            return new InetSocketAddress(listener.bindAddress(), listener.port());
        }
        if (listener.socketDomain() == SocketDomain.IPV4) {
            return new InetSocketAddress("0.0.0.0", listener.port());
        }
        return new InetSocketAddress(listener.port());
    }

    /** SIGHUP: re-read password and ACL files without dropping connections. */
    public void reloadSecurityFiles() {
        security.reload();
    }

    /** The port a listener actually bound, which differs from the configured one when that was 0. */
    public int boundPort(int listenerIndex) {
        return boundPort(listeners.get(listenerIndex));
    }

    private static int boundPort(Channel channel) {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        for (Channel channel : listeners) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
