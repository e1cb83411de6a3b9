package io.midge.server.http;

import io.midge.core.auth.Authenticator;
import io.midge.core.auth.Authorizer;
import io.midge.server.config.HttpAccessConfig;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/** The handlers of a {@code protocol http} connection. */
public final class HttpListenerPipeline {

    static final String IDLE = "http-idle";
    /** No endpoint takes a body: a request is its line and headers, and these bound them. */
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final int MAX_BODY = 8192;
    private static final int IDLE_SECONDS = 60;

    private HttpListenerPipeline() {
    }

    /** A connection of a {@code protocol http} listener, after any TLS. */
    public static void addTo(ChannelPipeline pipeline, HttpContext context, HttpAccessConfig access,
                             Authenticator authenticator, Authorizer authorizer) {
        pipeline.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_HEADERS))
                .addLast("http-aggregator", new HttpObjectAggregator(MAX_BODY))
                .addLast(IDLE, new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                .addLast("http-requests", new HttpRequestHandler(context, new HttpAccess(access, authenticator), authorizer));
    }
}
