package io.midge.server.net;

import io.midge.core.auth.AnonymousOnlyAuthenticator;
import io.midge.core.route.MemoryRetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.server.config.BrokerConfig;
import io.midge.server.config.ListenerConfig;
import io.midge.server.config.ListenerProtocol;
import io.netty.bootstrap.ServerBootstrap;
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

    private final BrokerConfig config;
    private final BrokerServices services;
    private final Transport transport = Transport.best();
    private final EventLoopGroup loops;
    private final List<Channel> listeners = new ArrayList<>();

    public MidgeServer(BrokerConfig config) {
        this.config = config;
        this.loops = transport.newGroup(Runtime.getRuntime().availableProcessors());
        Router router = new Router(new MemoryRetainedStore(), config.retainAvailable());
        SessionLimits limits = new SessionLimits(config.maxInflightMessages(), config.maxQueuedMessages(),
                config.maxQueuedBytes(), config.queueQos0Messages(), config.upgradeOutgoingQos());
        SessionRegistry sessions = new SessionRegistry(limits, router::discardSubscriptions, Clock.systemUTC());
        ConnectionSettings settings = new ConnectionSettings(config.maxKeepalive(), config.allowZeroLengthClientId(),
                config.autoIdPrefix(), config.effectiveMessageSizeLimit(), config.connectionMessages(), config.retainAvailable(),
                CONNECT_TIMEOUT_MILLIS);
        this.services = new BrokerServices(router, sessions, new AnonymousOnlyAuthenticator(config.allowAnonymous()), settings);
    }

    public BrokerServices services() {
        return services;
    }

    /** Binds every listener; on failure closes what was bound and rethrows. */
    public void start() throws Exception {
        try {
            for (ListenerConfig listener : config.listeners()) {
                if (listener.protocol() != ListenerProtocol.MQTT || listener.isTls()) {
                    // Serving plain MQTT where the operator asked for TLS or WebSocket would be worse than not serving.
                    log.warn("Listener on port {} skipped: {} listeners are not supported yet.", listener.port(),
                            listener.isTls() ? "TLS" : "WebSocket");
                    continue;
                }
                listeners.add(bind(listener));
            }
        } catch (Exception e) {
            close();
            throw e;
        }
        config.persistentClientExpiration().ifPresent(expiry -> loops.next().scheduleAtFixedRate(
                () -> services.sessions().expireSessions(expiry.toMillis()),
                SESSION_EXPIRY_SWEEP_SECONDS, SESSION_EXPIRY_SWEEP_SECONDS, TimeUnit.SECONDS));
    }

    private Channel bind(ListenerConfig listener) throws Exception {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new MqttChannelInitializer(services, listener.maxConnections()));
        InetSocketAddress address = listener.bindAddress() == null
                ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.bindAddress(), listener.port());
        Channel channel = bootstrap.bind(address).sync().channel();
        log.info("Opening listen socket on {} port {} ({}).",
                listener.bindAddress() == null ? "all interfaces" : listener.bindAddress(), boundPort(channel),
                transport.name().toLowerCase());
        return channel;
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
