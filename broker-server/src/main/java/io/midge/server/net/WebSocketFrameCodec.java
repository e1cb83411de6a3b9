package io.midge.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * MQTT over WebSocket carries a byte stream in binary frames: a frame may hold part of a packet
 * or several, so frames are unwrapped into plain bytes for the MQTT decoder, and every encoded
 * packet goes out as one binary frame. MQTT 3.1.1 section 6 requires closing on any other data frame.
 * Once the handshake is done only frames come here; before it, an HTTP request the handshake did
 * not take is answered 400 and the connection closed.
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
        } else if (msg instanceof ByteBuf) {
            ctx.fireChannelRead(msg);
        } else {
            // An HTTP request the WebSocket handshake did not take (a target such as "*" or
            // "http://host/", which is no path): it gets an answer, not the MQTT decoder.
            ReferenceCountUtil.release(msg);
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST))
                    .addListener(ChannelFutureListener.CLOSE);
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
