package io.midge.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** A whole response: status, type and body. */
record HttpReply(HttpResponseStatus status, String contentType, byte[] body) {

    static final String JSON = "application/json; charset=utf-8";

    static HttpReply json(String json) {
        return new HttpReply(HttpResponseStatus.OK, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** An error as JSON: {@code {"error": "..."}}, the same shape for every 4xx and 5xx. */
    static HttpReply error(HttpResponseStatus status, String message) {
        return new HttpReply(status, JSON,
                new JsonWriter().beginObject().field("error", message).endObject().toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @param head whether it answers a HEAD request: the headers of a GET, without its body */
    FullHttpResponse response(boolean keepAlive, boolean head) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return response;
    }

    /** Writes the response; without keep-alive, the connection closes once it is sent. */
    static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
