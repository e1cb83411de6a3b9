package io.midge.server.bridge;

import io.midge.core.bridge.BridgeLink;
import io.midge.core.packet.MqttPacket;
import io.midge.core.protocol.Transport;
import io.midge.core.sys.BrokerStats;
import io.midge.server.codec.MalformedPacketException;
import io.midge.server.codec.PacketTooLargeException;
import io.midge.server.net.ChannelTransport;
import io.midge.server.tls.BridgeTlsContext;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.util.function.Function;

/**
 * The Netty end of a bridge's connection to its remote broker: channel events to {@link BridgeLink}
 * calls, and the {@link Transport} the link writes to. Last in the pipeline, after the TLS handler
 * (if any), the decoder of server packets, the encoder and the keep alive timer.
 */
final class BridgeChannel extends ChannelTransport {

    private final String localClientId;
    private final String remote;
    private final BrokerStats stats;
    private final Function<Transport, BridgeLink> linkFactory;
    private BridgeLink link;
    /** Set when this side closes: the remote did not hang up, so "closed its connection" would be wrong. */
    private boolean closedHere;

    /**
     * @param remote      the address connected to, as {@code host:port}
     * @param linkFactory makes the link once the channel can write
     */
    BridgeChannel(String localClientId, String remote, BrokerStats stats, Function<Transport, BridgeLink> linkFactory) {
        this.localClientId = localClientId;
        this.remote = remote;
        this.stats = stats;
        this.linkFactory = linkFactory;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        link = linkFactory.apply(this);
        link.start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        stats.packetReceived();
        if (link != null) {
            link.received((MqttPacket) msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (link != null && ctx.channel().isWritable()) {
            link.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && link != null) {
            link.keepAliveDue();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (link != null) {
            link.closed(closedHere ? null : "Client " + localClientId + " closed its connection.");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (link == null) {
            ctx.close();
            return;
        }
        link.closeWith(describe(cause));
    }

    private String describe(Throwable cause) {
        if (cause instanceof PacketTooLargeException tooLarge) {
            return "Bridge " + localClientId + ": the remote broker sent a packet over bridge_max_packet_size ("
                    + tooLarge.getMessage() + "), disconnecting.";
        }
        if (cause instanceof MalformedPacketException malformed) {
            return "Bridge " + localClientId + ": the remote broker sent an invalid packet (" + malformed.getMessage()
                    + "), disconnecting.";
        }
        SSLException tls = tlsFailure(cause);
        if (tls != null) {
            return "Bridge " + localClientId + ": TLS error with " + remote + ": " + BridgeTlsContext.describe(tls) + ".";
        }
        if (cause instanceof IOException) {
            return "Socket error on client " + localClientId + ", disconnecting.";
        }
        return "Bridge " + localClientId + ": unexpected error (" + cause + "), disconnecting.";
    }

    /** The TLS failure behind a pipeline exception: a failed handshake arrives bare or inside a DecoderException. */
    private static SSLException tlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException tls) {
                return tls;
            }
        }
        return null;
    }

    // ---- Transport (the rest in ChannelTransport) ----

    @Override
    protected BrokerStats stats() {
        return stats;
    }

    @Override
    public void close() {
        closedHere = true;
        super.close();
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public String remoteHost() {
        int colon = remote.lastIndexOf(':');
        return colon < 0 ? remote : remote.substring(0, colon);
    }
}
