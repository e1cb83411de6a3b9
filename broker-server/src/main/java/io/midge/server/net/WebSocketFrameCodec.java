package io.midge.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * MQTT over WebSocket carries a byte stream in binary frames: a frame may hold part of a packet
 * or several, so frames are unwrapped into plain bytes for the MQTT decoder, and every encoded
 * packet goes out as one binary frame. MQTT 3.1.1 section 6 requires closing on any other data frame.
 */
@Sharable
final class WebSocketFrameCodec extends ChannelDuplexHandler {

    static final WebSocketFrameCodec INSTANCE = new WebSocketFrameCodec();

    private WebSocketFrameCodec() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((WebSocketFrame) msg).content());
        } else if (msg instanceof WebSocketFrame frame) {
            frame.release();
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "MQTT needs binary frames"))
                    .addListener(f -> ctx.close());
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            ctx.write(new BinaryWebSocketFrame(bytes), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
