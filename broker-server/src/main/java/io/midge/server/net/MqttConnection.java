package io.midge.server.net;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.protocol.ClientProtocol;
import io.midge.core.protocol.CloseReason;
import io.midge.core.protocol.ConnectPolicy;
import io.midge.core.protocol.ConnectVerdict;
import io.midge.core.sys.BrokerStats;
import io.midge.server.codec.MalformedPacketException;
import io.midge.server.codec.PacketTooLargeException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty side of one client connection: channel events to its {@link ClientProtocol}, which
 * holds the MQTT state machine, and the protocol's writes to the socket. Also maps what the
 * pipeline throws to mosquitto's disconnect reasons, and enforces the connect timeout and keep
 * alive through its loop's {@link KeepAliveSweeper}.
 */
final class MqttConnection extends ChannelTransport implements ConnectPolicy, KeepAliveSweeper.Watched {

    private static final Logger log = LoggerFactory.getLogger("midge");

    private final ListenerConnections listener;
    private ClientProtocol protocol;
    private long keepAliveTimeoutNanos;
    private long lastHeardNanos;
    private int sweeperSlot = -1;

    MqttConnection(ListenerConnections listener) {
        this.listener = listener;
    }

    // ---- channel events ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        this.protocol = new ClientProtocol(listener.protocolContext(), this, this);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (listener.settings().connectionMessages()) {
            log.info("New connection from {} on port {}.", remoteAddress(), localPort(ctx));
        }
        // Until CONNECT the sweeper enforces the connect timeout; reads do not extend it.
        watchSilence(TimeUnit.MILLISECONDS.toNanos(listener.settings().connectTimeoutMillis()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttPacket packet = (MqttPacket) msg;
        listener.protocolContext().stats().packetReceived();
        boolean awaitingConnect = protocol.awaitingConnect();
        protocol.received(packet);
        // CONNECT (or the AUTH ending an MQTT 5 enhanced authentication) was accepted: from now on keep alive applies.
        if (awaitingConnect && !protocol.awaitingConnect() && ctx.channel().isActive()) {
            KeepAliveSweeper.of(ctx.executor()).unwatch(this);
            startKeepAlive(protocol.keepAliveSeconds());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!protocol.awaitingConnect()) {
            lastHeardNanos = System.nanoTime();
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            protocol.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PacketTooLargeException tooLarge) {
            log.debug("Client {} sent a packet over the size limit ({}).", protocol.logName(), tooLarge.getMessage());
            protocol.close(CloseReason.OVERSIZE_PACKET);
        } else if (cause instanceof MalformedPacketException malformed) {
            String notice = malformed.notice(protocol.logName(), remoteHost());
            if (notice != null) {
                log.info(notice);
            }
            log.debug("Client {} sent an invalid packet: {}.", protocol.logName(), malformed.getMessage());
            switch (malformed.kind()) {
                case MALFORMED -> protocol.close(CloseReason.MALFORMED_PACKET);
                case PROTOCOL_ERROR -> protocol.close(CloseReason.PROTOCOL_ERROR);
                case INVALID_ARGUMENT -> protocol.close(CloseReason.BAD_SOCKET, "Invalid function arguments provided.");
                case MALFORMED_UTF8 -> protocol.close(CloseReason.BAD_SOCKET, "Malformed UTF-8");
            }
        } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException tls) {
            protocol.close(CloseReason.SOCKET_ERROR, tls.getMessage());
        } else if (cause instanceof DecoderException) {
            // Broken WebSocket framing or HTTP upgrade: the bytes are not a packet stream.
            log.debug("Client {} sent undecodable data: {}.", protocol.logName(), cause.getMessage());
            protocol.close(CloseReason.MALFORMED_PACKET);
        } else if (cause instanceof IOException) {
            String error = SystemErrors.strerror(cause);
            // A reset is how many clients hang up; mosquitto counts it as closing the connection.
            if (error.contains("Connection reset")) {
                protocol.close(CloseReason.CLOSED_BY_CLIENT);
            } else {
                protocol.close(CloseReason.SOCKET_ERROR, error);
            }
        } else {
            log.error("Unexpected error on client {}, disconnecting.", protocol.logName(), cause);
            protocol.close(CloseReason.QUIET);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        KeepAliveSweeper.of(ctx.executor()).unwatch(this);
        protocol.closed();
        ctx.fireChannelInactive();
    }

    // ---- ConnectPolicy: the listener's check, with the client certificate from the pipeline ----

    @Override
    public ConnectVerdict check(Connect connect) {
        return listener.connectCheck().check(connect, ctx.pipeline());
    }

    // ---- keep alive, checked by the loop's sweeper ----

    /**
     * MQTT 3.1.1 section 3.1.2.10: one and a half times the keep alive without a packet ends the
     * connection. Without keep alive the sweeper holds the connection all the same, for shutdown.
     */
    private void startKeepAlive(int keepAliveSeconds) {
        watchSilence(keepAliveSeconds > 0 ? TimeUnit.MILLISECONDS.toNanos(keepAliveSeconds * 1500L)
                : KeepAliveSweeper.NO_TIMEOUT);
    }

    private void watchSilence(long allowedNanos) {
        keepAliveTimeoutNanos = allowedNanos;
        lastHeardNanos = System.nanoTime();
        KeepAliveSweeper.of(ctx.executor()).watch(this);
    }

    @Override
    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    @Override
    public long keepAliveTimeoutNanos() {
        return keepAliveTimeoutNanos;
    }

    @Override
    public void keepAliveExpired() {
        protocol.close(CloseReason.TIMEOUT);
    }

    @Override
    public Future<?> closeForShutdown() {
        return ctx.channel().close();
    }

    @Override
    public int sweeperSlot() {
        return sweeperSlot;
    }

    @Override
    public void sweeperSlot(int slot) {
        sweeperSlot = slot;
    }

    // ---- Transport (the rest in ChannelTransport) ----

    @Override
    protected BrokerStats stats() {
        return listener.protocolContext().stats();
    }

    /** Worked out when needed, as idle connections should hold little. */
    @Override
    public String remoteAddress() {
        SocketAddress address = ctx.channel().remoteAddress();
        return address instanceof InetSocketAddress inet ? remoteHost() + ":" + inet.getPort() : String.valueOf(address);
    }

    @Override
    public String remoteHost() {
        SocketAddress address = ctx.channel().remoteAddress();
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    private static int localPort(ChannelHandlerContext ctx) {
        SocketAddress local = ctx.channel().localAddress();
        return local instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }
}
