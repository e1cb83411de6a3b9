package io.midge.server.net;

import io.midge.core.packet.MqttPacket;
import io.midge.core.protocol.Transport;
import io.midge.core.sys.BrokerStats;
import io.midge.server.codec.MqttEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;

/**
 * The last handler of an MQTT channel as the protocol's {@link Transport}: a client's connection
 * ({@link MqttConnection}) or a bridge's to its remote broker. Packets are encoded here rather
 * than in a pipeline handler: one handler less per connection and per write.
 */
public abstract class ChannelTransport extends ChannelInboundHandlerAdapter implements Transport {

    protected ChannelHandlerContext ctx;

    /** Where sent packets and bytes are counted; a method, not a field, as idle connections should hold little. */
    protected abstract BrokerStats stats();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(MqttPacket packet) {
        ByteBuf encoded = MqttEncoder.encode(ctx.alloc(), packet);
        // Counted as written, not as flushed: mosquitto's figures differ only for a packet still queued.
        stats().packetSent(encoded.readableBytes());
        ctx.write(encoded, ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void close() {
        ctx.flush();
        ctx.close();
    }

    @Override
    public void pauseReading() {
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void resumeReading() {
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }
}
