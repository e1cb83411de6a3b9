package io.midge.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * mosquitto's http_dir: a websockets listener also answers plain HTTP GET requests with the files
 * of a directory ({@code /} is {@code index.html}), so that the page which connects over
 * WebSockets can come from the broker too. Upgrade requests pass on to the WebSocket handshake.
 * Nothing outside the directory is served, through {@code ..} or a symbolic link alike.
 */
public final class StaticFiles extends ChannelInboundHandlerAdapter {

    /** The operator's files, read whole: this bounds what one request can make the broker hold. */
    private static final long MAX_FILE_BYTES = 16L << 20;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"), Map.entry("wasm", "application/wasm"));

    private final Path root;

    public StaticFiles(Path directory) {
        this.root = directory.toAbsolutePath().normalize();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || isUpgrade(request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpReply reply = serve(request);
            HttpReply.send(ctx, reply.response(keepAlive, request.method().equals(HttpMethod.HEAD)), keepAlive);
        } finally {
            ReferenceCountUtil.release(request);
        }
    }

    private static boolean isUpgrade(FullHttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private HttpReply serve(FullHttpRequest request) {
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            return HttpReply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "allowed: GET");
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!path.startsWith("/") || path.indexOf('\0') >= 0) {
            return HttpReply.error(HttpResponseStatus.BAD_REQUEST, "the request target must be a path");
        }
        Path file;
        try {
            file = root.resolve(path.substring(1)).normalize();
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            if (!file.startsWith(root) || !Files.isRegularFile(file) || !file.toRealPath().startsWith(root.toRealPath())) {
                return notFound(path);
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                return HttpReply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the file is larger than 16 MiB");
            }
            return new HttpReply(HttpResponseStatus.OK, typeOf(file), Files.readAllBytes(file));
        } catch (IOException | InvalidPathException e) {
            return notFound(path);
        }
    }

    private static HttpReply notFound(String path) {
        return HttpReply.error(HttpResponseStatus.NOT_FOUND, "no such file: " + path);
    }

    private static String typeOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
