package io.midge.server.net;

import io.midge.core.protocol.Mqtt5Limits;
import io.midge.core.protocol.ProtocolContext;
import io.midge.server.codec.DecoderSettings;
import io.midge.server.codec.MqttDecoder;
import io.midge.server.config.ListenerProtocol;
import io.midge.server.http.HttpContext;
import io.midge.server.http.HttpListenerPipeline;
import io.midge.server.http.StaticFiles;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Builds a connection's pipeline for its listener: [TLS] → [HTTP upgrade and WebSocket frames ⇄
 * bytes] → MQTT packets → protocol state machine (which encodes what it sends itself). Also enforces the listener's max_connections at
 * accept time, as mosquitto does.
 */
final class ListenerInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger("midge");
    /** Browsers offer these; mosquitto accepts the same two. */
    private static final String WEBSOCKET_SUBPROTOCOLS = "mqtt,mqttv3.1";
    private static final int MAX_HTTP_UPGRADE_REQUEST = 8192;

    private final BrokerServices broker;
    private final ListenerContext listener;
    private final Supplier<SslContext> tls;
    private final ListenerConnections connections;
    /** Oversized PUBLISH payloads are skipped, not buffered, so without max_packet_size the packet limit can be the protocol's own. */
    private final DecoderSettings decoderSettings;
    private final AtomicInteger open = new AtomicInteger();
    /** max_connection_rate_per_address, or null for none. */
    private final AcceptRateLimiter acceptRate;
    /** One listener for all connections' closings, not a lambda per connection. */
    private final ChannelFutureListener closedOne = closed -> open.decrementAndGet();

    /** What a protocol http listener serves; null when the broker has none. */
    private final HttpContext http;

    /**
     * @param tls  the listener's current TLS context (SIGHUP may replace it), or null for plain TCP
     * @param http what protocol http listeners serve, or null if there is none
     */
    ListenerInitializer(BrokerServices broker, ListenerContext listener, Supplier<SslContext> tls, HttpContext http) {
        this.broker = broker;
        this.http = http;
        this.listener = listener;
        this.tls = tls;
        int ratePerAddress = listener.config().maxConnectionRatePerAddress();
        this.acceptRate = ratePerAddress > 0 ? new AcceptRateLimiter(ratePerAddress) : null;
        ProtocolContext protocolContext = new ProtocolContext(broker.router(), broker.sessions(), broker.stats(),
                listener.mountPoint(), listener.maxQos(), broker.settings().retainAvailable(),
                broker.settings().connectionMessages(), listener.authenticator(), listener.authorizer(),
                listener.usernameFromCertificate(), false,
                new Mqtt5Limits(listener.config().maxTopicAlias(), broker.settings().receiveMaximum(),
                        broker.settings().maxPacketSize(),
                        broker.settings().maxKeepaliveSeconds()));
        this.connections = new ListenerConnections(protocolContext, broker.settings(),
                new ConnectCheck(broker.settings(), listener));
        this.decoderSettings = new DecoderSettings(broker.settings().maxRemainingLength(),
                broker.settings().maxPayloadBytes(), broker.stats()::bytesReceived);
    }

    /** One line per address and second at most: a flood must not flood the log too. */
    private boolean admittedAtThisRate(Channel channel) {
        if (!(channel.remoteAddress() instanceof InetSocketAddress remote)) {
            return true;
        }
        AcceptRateLimiter.Verdict verdict = acceptRate.admit(remote.getAddress());
        if (verdict == AcceptRateLimiter.Verdict.REFUSE_FIRST) {
            log.info("Client connection from {} denied: max_connection_rate_per_address exceeded.", remote.getAddress().getHostAddress());
        }
        return verdict == AcceptRateLimiter.Verdict.ADMIT;
    }

    @Override
    protected void initChannel(Channel channel) {
        if (listener.config().protocol() != ListenerProtocol.HTTP) {
            broker.stats().socketOpened(); // $SYS counts MQTT's sockets, as mosquitto's
        }
        if (acceptRate != null && !admittedAtThisRate(channel)) {
            channel.close();
            return;
        }
        int maxConnections = listener.config().maxConnections();
        if (maxConnections >= 0) {
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                log.info("Client connection from {} denied: max_connections exceeded.", channel.remoteAddress());
                channel.close();
                return;
            }
            channel.closeFuture().addListener(closedOne);
        }
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        ChannelPipeline pipeline = channel.pipeline();
        if (tls != null) {
            pipeline.addLast("tls", tls.get().newHandler(channel.alloc()))
                    .addLast("tls-record-boundaries", new TlsRecordBoundaries());
        }
        if (listener.config().protocol() == ListenerProtocol.HTTP) {
            HttpListenerPipeline.addTo(pipeline, http, listener.config().httpAccess(), listener.authenticator(),
                    listener.authorizer());
            return;
        }
        if (listener.config().protocol() == ListenerProtocol.WEBSOCKETS) {
            addWebSocketCodec(pipeline, broker.settings().maxPacketBytes());
            // After the aggregator, not before "websocket": Netty puts its handshake handler in front of that.
            listener.config().httpDir().ifPresent(directory ->
                    pipeline.addAfter("http-upgrade", "http-dir", new StaticFiles(directory)));
        }
        pipeline.addLast("decoder", new MqttDecoder(decoderSettings))
                .addLast("mqtt", new MqttConnection(connections));
    }

    /** The HTTP upgrade and WebSocket framing in front of the MQTT decoder, for packets of at most {@code maxPacketBytes}. */
    static void addWebSocketCodec(ChannelPipeline pipeline, int maxPacketBytes) {
        pipeline.addLast("http", new HttpServerCodec())
                .addLast("http-upgrade", new HttpObjectAggregator(MAX_HTTP_UPGRADE_REQUEST))
                .addLast("websocket", new WebSocketServerProtocolHandler(webSocketConfig(maxPacketBytes)))
                .addLast("websocket-frames", WebSocketFrameCodec.INSTANCE);
    }

    private static WebSocketServerProtocolConfig webSocketConfig(int maxPacketBytes) {
        return WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true) // any request path: MQTT.js uses /mqtt, others use /
                .subprotocols(WEBSOCKET_SUBPROTOCOLS)
                // A frame may carry a whole packet, so it may be as large as one with the largest
                // payload allowed (within max_packet_size) and a 5-byte fixed header; a bigger frame
                // would have to be buffered whole, so it closes the connection.
                .maxFramePayloadLength(maxPacketBytes + 5)
                .handleCloseFrames(true)
                .build();
    }
}
