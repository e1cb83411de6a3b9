package io.midge.server.http;

import io.midge.core.auth.Authorizer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection of a {@code protocol http} listener: checks each request's credentials, then
 * serves the dashboard, {@code /metrics}, the JSON API or the event stream. Whatever walks the
 * broker's state runs on the HTTP worker; the answer is written back from there.
 */
public final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger("midge");
    private static final String API = "/api/v1/";
    private static final String REALM = "Basic realm=\"midge\", charset=\"UTF-8\"";

    private final HttpContext context;
    private final HttpAccess access;
    private final Authorizer authorizer;
    private final ApiEndpoints api;
    /** Set once the connection became an event stream: it then takes no more requests. */
    private boolean streaming;

    public HttpRequestHandler(HttpContext context, HttpAccess access, Authorizer authorizer) {
        this.context = context;
        this.access = access;
        this.authorizer = authorizer;
        this.api = new ApiEndpoints(context);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (streaming) {
            return;
        }
        if (request.decoderResult().isFailure()) {
            reply(ctx, request, HttpReply.error(HttpResponseStatus.BAD_REQUEST, "the request could not be read"), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (!path.startsWith("/")) {
            reply(ctx, request, HttpReply.error(HttpResponseStatus.BAD_REQUEST, "the request target must be a path"), false);
            return;
        }
        Caller caller = access.identify(request.headers());
        if (caller == null) {
            refuse(ctx, request);
            return;
        }
        HttpMethod method = request.method();
        if (path.equals("/") || path.equals("/index.html")) {
            onlyGet(ctx, request, method, () -> Dashboard.page());
        } else if (path.equals("/metrics")) {
            onlyGet(ctx, request, method, () -> new HttpReply(HttpResponseStatus.OK, context.metrics().contentType(),
                    context.metrics().scrape()));
        } else if (path.equals(API + "events")) {
            if (method.equals(HttpMethod.GET)) {
                startStream(ctx, request, caller);
            } else {
                reply(ctx, request, notAllowed("GET"), true);
            }
        } else if (path.startsWith(API)) {
            api(ctx, request, method, path.substring(API.length()), uri.parameters(), caller);
        } else {
            reply(ctx, request, HttpReply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path), true);
        }
    }

    private void api(ChannelHandlerContext ctx, FullHttpRequest request, HttpMethod method, String resource,
                     Map<String, List<String>> parameters, Caller caller) {
        String[] parts = resource.split("/", -1);
        boolean get = method.equals(HttpMethod.GET);
        switch (parts[0]) {
            case "version" -> onlyGet(ctx, request, method, api::version);
            case "stats" -> onlyGet(ctx, request, method, api::stats);
            case "listeners" -> onlyGet(ctx, request, method, api::listeners);
            case "sys" -> onlyGet(ctx, request, method, api::sys);
            case "reload" -> {
                if (method.equals(HttpMethod.POST)) {
                    admin(ctx, request, caller, () -> api.reload(caller));
                } else {
                    reply(ctx, request, notAllowed("POST"), true);
                }
            }
            case "clients" -> {
                if (parts.length == 1 && get) {
                    ApiEndpoints.Page page = page(parameters);
                    offload(ctx, request, page == null ? badPage() : null, () -> api.clients(page));
                } else if (parts.length == 2 && !parts[1].isEmpty() && get) {
                    String id = QueryStringDecoder.decodeComponent(parts[1]);
                    offload(ctx, request, null, () -> api.client(id));
                } else if (parts.length == 3 && parts[2].equals("disconnect")) {
                    String id = QueryStringDecoder.decodeComponent(parts[1]);
                    if (method.equals(HttpMethod.POST)) {
                        admin(ctx, request, caller, () -> api.disconnect(id, caller));
                    } else {
                        reply(ctx, request, notAllowed("POST"), true);
                    }
                } else if (parts.length <= 2) {
                    reply(ctx, request, notAllowed("GET"), true);
                } else {
                    reply(ctx, request, notFound(resource), true);
                }
            }
            case "retained" -> {
                if (parts.length != 1) {
                    reply(ctx, request, notFound(resource), true);
                } else if (get) {
                    ApiEndpoints.Page page = page(parameters);
                    String filter = first(parameters, "filter", "#");
                    offload(ctx, request, page == null ? badPage() : null, () -> api.retained(filter, page));
                } else if (method.equals(HttpMethod.DELETE)) {
                    admin(ctx, request, caller, () -> api.deleteRetained(first(parameters, "topic", null), caller));
                } else {
                    reply(ctx, request, notAllowed("GET, DELETE"), true);
                }
            }
            default -> reply(ctx, request, notFound(resource), true);
        }
    }

    private interface Endpoint {
        HttpReply serve();
    }

    private void onlyGet(ChannelHandlerContext ctx, FullHttpRequest request, HttpMethod method, Endpoint endpoint) {
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            offload(ctx, request, null, endpoint);
        } else {
            reply(ctx, request, notAllowed("GET"), true);
        }
    }

    private void admin(ChannelHandlerContext ctx, FullHttpRequest request, Caller caller, Endpoint endpoint) {
        if (!caller.admin()) {
            reply(ctx, request, HttpReply.error(HttpResponseStatus.FORBIDDEN,
                    "this needs a user named by http_admin"), true);
            return;
        }
        offload(ctx, request, null, endpoint);
    }

    /** Runs the endpoint on the HTTP worker, unless the request is already refused ({@code refusal}). */
    private void offload(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply refusal, Endpoint endpoint) {
        if (refusal != null) {
            reply(ctx, request, refusal, true);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        try {
            context.worker().execute(() -> {
                HttpReply reply;
                try {
                    reply = endpoint.serve();
                } catch (RuntimeException e) {
                    log.error("Error: HTTP request {} failed: {}", request.uri(), e.toString());
                    reply = HttpReply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the request failed; see the broker log");
                }
                write(ctx, reply, keepAlive, head);
            });
        } catch (RejectedExecutionException e) {
            write(ctx, HttpReply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the broker is stopping"), false, head);
        }
    }

    private void startStream(ChannelHandlerContext ctx, FullHttpRequest request, Caller caller) {
        if (context.openStreams().incrementAndGet() > HttpContext.MAX_STREAMS) {
            context.openStreams().decrementAndGet();
            reply(ctx, request, HttpReply.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too many event streams are open (" + HttpContext.MAX_STREAMS + ")"), false);
            return;
        }
        streaming = true;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.pipeline().remove(HttpListenerPipeline.IDLE);
        ctx.writeAndFlush(head);
        new TopicFeed(ctx.channel(), context, authorizer, caller.username()).start();
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request) {
        String message = request.headers().contains(HttpHeaderNames.AUTHORIZATION) ? "the credentials were refused"
                : access.checksPasswords() ? "credentials are needed"
                : "a token is needed (http_token); this listener has no password_file for users";
        HttpReply reply = HttpReply.error(HttpResponseStatus.UNAUTHORIZED, message);
        FullHttpResponse response = reply.response(HttpUtil.isKeepAlive(request), false);
        if (access.checksPasswords()) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, REALM);
        } else {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"midge\"");
        }
        HttpReply.send(ctx, response, HttpUtil.isKeepAlive(request));
    }

    private static void reply(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply, boolean mayKeepAlive) {
        write(ctx, reply, mayKeepAlive && HttpUtil.isKeepAlive(request), request.method().equals(HttpMethod.HEAD));
    }

    private static void write(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive, boolean head) {
        HttpReply.send(ctx, reply.response(keepAlive, head), keepAlive);
    }

    private static HttpReply notAllowed(String allowed) {
        return HttpReply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "allowed: " + allowed);
    }

    private static HttpReply notFound(String resource) {
        return HttpReply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + API + resource);
    }

    private static HttpReply badPage() {
        return HttpReply.error(HttpResponseStatus.BAD_REQUEST,
                "offset must be 0 or more and limit 1 to " + ApiEndpoints.MAX_PAGE);
    }

    /** The offset and limit parameters, or null when they are not numbers in range. */
    private static ApiEndpoints.Page page(Map<String, List<String>> parameters) {
        try {
            int offset = Integer.parseInt(first(parameters, "offset", "0"));
            int limit = Integer.parseInt(first(parameters, "limit", Integer.toString(ApiEndpoints.DEFAULT_PAGE)));
            return offset < 0 || limit < 1 || limit > ApiEndpoints.MAX_PAGE ? null : new ApiEndpoints.Page(offset, limit);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String first(Map<String, List<String>> parameters, String name, String otherwise) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close(); // an idle keep-alive connection holds a socket for nothing
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
