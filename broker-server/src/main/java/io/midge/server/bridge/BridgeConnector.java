package io.midge.server.bridge;

import io.midge.core.bridge.BridgeLink;
import io.midge.core.bridge.BridgeSettings;
import io.midge.core.bridge.BridgeSubscriptions;
import io.midge.core.protocol.ProtocolContext;
import io.midge.core.session.Session;
import io.midge.server.codec.MqttDecoder;
import io.midge.server.codec.MqttWire;
import io.midge.server.config.BridgeAddress;
import io.midge.server.config.BridgeConfig;
import io.midge.server.net.SystemErrors;
import io.midge.server.tls.BridgeTlsContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one bridge as mosquitto does: connects to its addresses in turn, reconnects after
 * {@code restart_timeout} (constant, or backoff with decorrelated jitter between base and cap),
 * starts a lazy bridge once {@code threshold} messages wait for it and stops it after
 * {@code idle_timeout}, gives up a {@code once} bridge after its first connection, and goes back
 * to the first address when it is reachable again unless {@code round_robin}. Everything runs on
 * one event loop, the bridge's, which also owns its local session while connected.
 */
final class BridgeConnector {

    private static final Logger log = LoggerFactory.getLogger("midge");
    /** How often mosquitto checks whether the first address is back, and a lazy bridge its threshold. */
    private static final long PRIMARY_RETRY_SECONDS = 5;
    private static final long LAZY_CHECK_MILLIS = 1_000;
    private static final int TCP_CONNECT_TIMEOUT_MILLIS = 10_000;

    private final BridgeConfig config;
    private final BridgeSettings settings;
    private final ProtocolContext local;
    private final EventLoop loop;
    private final Class<? extends Channel> channelClass;
    private final BridgeTlsContext tls;
    /** Host names are looked up off the event loops: a slow DNS server must not stall clients. */
    private final Executor resolver;
    private int addressIndex;
    private int restartDelaySeconds;
    /** try_private, until a remote refuses the protocol level with bit 0x80 (CONNACK 1). */
    private boolean privateAccepted = true;
    private Channel channel;
    private BridgeLink link;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> connAckTimeout;
    private boolean idleStop;
    private boolean backToPrimary;
    private boolean stopped;
    /** Whether the remote accepted the connection and it is still open; read by metrics from other threads. */
    private volatile boolean up;

    BridgeConnector(BridgeConfig config, BridgeSettings settings, ProtocolContext local, EventLoop loop,
                    Class<? extends Channel> channelClass, BridgeTlsContext tls, Executor resolver) {
        this.config = config;
        this.settings = settings;
        this.local = local;
        this.loop = loop;
        this.channelClass = channelClass;
        this.tls = tls;
        this.resolver = resolver;
        this.restartDelaySeconds = config.restartTimeoutBase();
    }

    void start() {
        loop.execute(() -> {
            if (settings.notifications()) {
                BridgeLink.publishState(settings, local, false);
            }
            if (!settings.localCleanSession()) {
                // What the out topics match from now on waits for the remote, even if it is never reached.
                local.sessions().holdOffline(settings.localClientId(), loop,
                        session -> BridgeSubscriptions.apply(settings, local.router(), session));
            }
            if (config.startType() == BridgeConfig.StartType.LAZY) {
                awaitThreshold(0);
            } else {
                connect();
            }
        });
    }

    /** Closes the connection without DISCONNECT, as mosquitto at shutdown: the remote then publishes the bridge's will. */
    Future<?> stop() {
        return loop.submit(() -> {
            stopped = true;
            cancel(timer);
            cancel(connAckTimeout);
            if (channel != null) {
                channel.close();
            }
        });
    }

    // ---- connecting ----

    private void connect() {
        if (stopped) {
            return;
        }
        BridgeAddress address = config.addresses().get(addressIndex);
        log.info("Connecting bridge {} ({}:{})", config.name(), address.host(), address.port());
        resolver.execute(() -> {
            InetSocketAddress resolved;
            try {
                resolved = new InetSocketAddress(InetAddress.getByName(address.host()), address.port());
            } catch (UnknownHostException e) {
                loop.execute(() -> {
                    log.error("Error creating bridge: {}.", SystemErrors.strerror(e));
                    ended(false);
                });
                return;
            }
            loop.execute(() -> connectTo(address, resolved));
        });
    }

    private void connectTo(BridgeAddress address, InetSocketAddress resolved) {
        if (stopped) {
            return;
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, TCP_CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(pipeline(address));
        ChannelFuture connected = config.bindAddress() == null ? bootstrap.connect(resolved)
                : bootstrap.connect(resolved, new InetSocketAddress(config.bindAddress(), 0));
        channel = connected.channel();
        connected.addListener(done -> {
            if (!done.isSuccess()) {
                log.error("Error creating bridge: {}.", SystemErrors.connectFailure(done.cause()));
                channel = null;
                ended(false);
                return;
            }
            connAckTimeout = loop.schedule(this::connAckOverdue, connAckTimeoutSeconds(), TimeUnit.SECONDS);
            connected.channel().closeFuture().addListener(closed -> ended(true));
        });
    }

    private ChannelInitializer<Channel> pipeline(BridgeAddress address) {
        String remote = address.host() + ":" + address.port();
        int maxPacketSize = config.maxPacketSize() > 0 ? Math.min(config.maxPacketSize(), MqttWire.MAX_REMAINING_LENGTH)
                : MqttWire.MAX_REMAINING_LENGTH;
        boolean announce = config.tryPrivate() && privateAccepted;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ChannelPipeline pipeline = ch.pipeline();
                if (tls != null) {
                    pipeline.addLast(tls.newHandler(ch.alloc(), address.host(), address.port()));
                }
                if (settings.keepAliveSeconds() > 0) {
                    int keepAlive = settings.keepAliveSeconds();
                    pipeline.addLast(new IdleStateHandler(keepAlive, keepAlive, 0));
                }
                pipeline.addLast(MqttDecoder.forClient(maxPacketSize));
                pipeline.addLast(new BridgeChannel(settings.localClientId(), remote, local.stats(),
                        transport -> link = new BridgeLink(settings, local, transport, announce, new LinkEvents())));
            }
        };
    }

    /** A remote that takes the connection and never answers must not hold the bridge (and its buffers) for ever. */
    private int connAckTimeoutSeconds() {
        return settings.keepAliveSeconds() > 0 ? settings.keepAliveSeconds() : 60;
    }

    private void connAckOverdue() {
        if (link != null && !link.isUp()) {
            link.closeWith("Bridge " + config.name() + ": no CONNACK from the remote broker within "
                    + connAckTimeoutSeconds() + " seconds, disconnecting.");
        }
    }

    /** The connection's name ({@code connection NAME}). */
    String name() {
        return config.name();
    }

    /** Whether the bridge is connected to its remote broker now. */
    boolean isUp() {
        return up;
    }

    private final class LinkEvents implements BridgeLink.Events {
        @Override
        public void accepted() {
            up = true;
            cancel(connAckTimeout);
            restartDelaySeconds = config.restartTimeoutBase();
            if (config.startType() == BridgeConfig.StartType.LAZY) {
                timer = loop.schedule(BridgeConnector.this::checkIdle, LAZY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } else if (!config.roundRobin() && addressIndex != 0) {
                timer = loop.schedule(BridgeConnector.this::probePrimary, PRIMARY_RETRY_SECONDS, TimeUnit.SECONDS);
            }
        }

        @Override
        public void refused(int returnCode) {
            if (returnCode == 1) {
                privateAccepted = false; // an older broker that does not know bridges: try as a plain client
            }
        }
    }

    // ---- after a connection ----

    /** The connection ended or never came about: what happens next depends on start_type. */
    private void ended(boolean wasOpen) {
        up = false;
        cancel(timer);
        cancel(connAckTimeout);
        channel = null;
        link = null;
        if (stopped) {
            return;
        }
        if (backToPrimary) {
            backToPrimary = false;
            addressIndex = 0;
            connect();
            return;
        }
        addressIndex = (addressIndex + 1) % config.addresses().size();
        switch (config.startType()) {
            case ONCE -> { } // mosquitto: not restarted once its connection ends
            case LAZY -> {
                if (idleStop) {
                    idleStop = false;
                    awaitThreshold(0);
                } else {
                    awaitThreshold(nextRestartDelaySeconds());
                }
            }
            case AUTOMATIC -> timer = loop.schedule(this::connect, nextRestartDelaySeconds(), TimeUnit.SECONDS);
        }
    }

    /** restart_timeout: a constant, or mosquitto's backoff ("decorrelated jitter") from base up to cap. */
    private int nextRestartDelaySeconds() {
        int delay = restartDelaySeconds;
        int base = config.restartTimeoutBase();
        int cap = config.restartTimeoutCap();
        if (cap > 0) {
            int upper = Math.max(base + 1, restartDelaySeconds * 3);
            restartDelaySeconds = Math.min(cap, ThreadLocalRandom.current().nextInt(base, upper));
        }
        return delay;
    }

    // ---- lazy bridges ----

    private void awaitThreshold(long delaySeconds) {
        timer = loop.schedule(this::checkThreshold, Math.max(delaySeconds * 1000, LAZY_CHECK_MILLIS), TimeUnit.MILLISECONDS);
    }

    private void checkThreshold() {
        if (stopped) {
            return;
        }
        Session session = local.sessions().get(settings.localClientId());
        long waiting = session == null ? 0 : (long) session.queuedCount() + session.inflightCount();
        if (waiting >= config.threshold()) {
            connect();
        } else {
            awaitThreshold(0);
        }
    }

    private void checkIdle() {
        if (link == null || !link.isUp()) {
            return;
        }
        long idleNanos = System.nanoTime() - link.lastMessageNanos();
        if (config.idleTimeout() > 0 && idleNanos >= TimeUnit.SECONDS.toNanos(config.idleTimeout())) {
            log.info("Bridge connection {} has exceeded idle timeout, disconnecting.", config.name());
            idleStop = true;
            link.closeWith(null);
        } else {
            timer = loop.schedule(this::checkIdle, LAZY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    // ---- back to the first address ----

    /** Connected to a later address: every few seconds, see whether the first one takes connections again. */
    private void probePrimary() {
        if (stopped || link == null || !link.isUp()) {
            return;
        }
        BridgeAddress primary = config.addresses().get(0);
        resolver.execute(() -> {
            boolean reachable;
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(primary.host(), primary.port()), TCP_CONNECT_TIMEOUT_MILLIS);
                reachable = true;
            } catch (IOException e) {
                reachable = false;
            }
            boolean back = reachable;
            loop.execute(() -> {
                if (link == null || !link.isUp()) {
                    return;
                }
                if (back) {
                    backToPrimary = true;
                    link.closeWith("Bridge " + config.name() + ": the first address " + primary
                            + " takes connections again; reconnecting to it.");
                } else {
                    timer = loop.schedule(this::probePrimary, PRIMARY_RETRY_SECONDS, TimeUnit.SECONDS);
                }
            });
        });
    }

    private static void cancel(ScheduledFuture<?> scheduled) {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
