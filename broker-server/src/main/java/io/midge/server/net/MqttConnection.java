package io.midge.server.net;

import io.midge.core.message.Message;
import io.midge.core.session.ClientConnection;
import io.midge.core.session.Session;
import io.midge.core.session.SessionRegistry;
import io.midge.core.route.Router;
import io.midge.server.codec.MalformedPacketException;
import io.midge.server.codec.MqttEncoder;
import io.midge.server.codec.MqttPacket;
import io.midge.server.codec.MqttPacket.Ack;
import io.midge.server.codec.MqttPacket.ConnAck;
import io.midge.server.codec.MqttPacket.Connect;
import io.midge.server.codec.MqttPacket.Empty;
import io.midge.server.codec.MqttPacket.Publish;
import io.midge.server.codec.MqttPacket.SubAck;
import io.midge.server.codec.MqttPacket.Subscribe;
import io.midge.server.codec.MqttPacket.TopicSubscription;
import io.midge.server.codec.MqttPacket.Unsubscribe;
import io.midge.server.codec.PacketTooLargeException;
import io.midge.server.codec.PacketType;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: the MQTT protocol state machine between the decoder and the client's
 * {@link Session}. Runs on its channel's event loop, which also owns the session while connected.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter implements ClientConnection, KeepAliveSweeper.Watched {

    private static final Logger log = LoggerFactory.getLogger("midge");
    private static final PacketLog packetLog = new PacketLog(log);

    private enum State { AWAIT_CONNECT, ATTACHING, CONNECTED, CLOSED }

    private static final long BACKPRESSURE_POLL_MICROS = 500;

    private final BrokerServices broker;
    private final ListenerContext listener;
    private final String mountPoint;
    private final ConnectionSettings settings;
    private final ConnectCheck connectCheck;
    private ChannelHandlerContext ctx;
    private State state = State.AWAIT_CONNECT;
    private String clientId;
    private String username;
    private Session session;
    private Message will;
    /** Why the connection ended, for the one log line that says so; null until it is decided. */
    private String closeReason;
    private boolean takenOver;
    private long keepAliveTimeoutNanos;
    private long lastHeardNanos;
    private int sweeperSlot = -1;
    private boolean flushScheduled;
    /** A subscriber this connection's publishes wait for, reading paused, or null. */
    private Session waitingFor;
    /**
     * Packets read but not acted on yet: those behind CONNECT while the session is handed over to
     * us, and those behind a PUBLISH that made us wait for a slow subscriber. Reading is paused
     * meanwhile, so this holds at most one read's worth. Null when empty, as idle connections
     * should carry nothing.
     */
    private ArrayDeque<MqttPacket> held;

    private final Runnable flushTask = () -> {
        flushScheduled = false;
        ctx.flush();
    };

    /** @param connectCheck the listener's, shared by its connections */
    MqttConnection(BrokerServices broker, ListenerContext listener, ConnectCheck connectCheck) {
        this.broker = broker;
        this.listener = listener;
        this.mountPoint = listener.mountPoint();
        this.settings = broker.settings();
        this.connectCheck = connectCheck;
    }

    // ---- channel events ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (settings.connectionMessages()) {
            log.info("New connection from {} on port {}.", remote(), localPort(ctx));
        }
        // Until CONNECT the sweeper enforces the connect timeout; reads do not extend it.
        watchSilence(TimeUnit.MILLISECONDS.toNanos(settings.connectTimeoutMillis()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttPacket packet = (MqttPacket) msg;
        packetLog.received(clientIdOrAddress(), packet);
        switch (state) {
            case AWAIT_CONNECT -> {
                if (packet instanceof Connect connect) {
                    onConnect(connect);
                } else {
                    closeWithReason("Client " + remote() + " sent " + packet.type() + " before CONNECT, disconnecting.");
                }
            }
            case ATTACHING -> hold(packet);
            case CONNECTED -> {
                if (waitingFor == null && held == null) {
                    onPacket(packet);
                } else {
                    hold(packet);
                }
            }
            case CLOSED -> { } // the socket is closing; nothing more is acted on
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state != State.AWAIT_CONNECT) {
            lastHeardNanos = System.nanoTime();
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && state == State.CONNECTED) {
            session.drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    // ---- keep alive, checked by the loop's sweeper ----

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
        if (state == State.AWAIT_CONNECT) {
            closeWithReason("Client " + remote() + " did not send CONNECT in time, disconnecting.");
        } else {
            closeWithReason("Client " + clientIdOrAddress() + " has exceeded timeout, disconnecting.");
        }
    }

    @Override
    public int sweeperSlot() {
        return sweeperSlot;
    }

    @Override
    public void sweeperSlot(int slot) {
        sweeperSlot = slot;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PacketTooLargeException) {
            closeWithReason("Client " + clientIdOrAddress() + " sent a packet over the size limit (" + cause.getMessage() + "), disconnecting.");
        } else if (cause instanceof MalformedPacketException) {
            closeWithReason("Client " + clientIdOrAddress() + " sent a malformed packet (" + cause.getMessage() + "), disconnecting.");
        } else if (cause instanceof IOException) {
            closeWithReason("Socket error on client " + clientIdOrAddress() + ", disconnecting.");
        } else {
            log.error("Unexpected error on client {}, disconnecting.", clientIdOrAddress(), cause);
            closeWithReason(null);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        KeepAliveSweeper.of(ctx.executor()).unwatch(this);
        State previous = state;
        state = State.CLOSED;
        if (closeReason == null) {
            closeReason = previous == State.CONNECTED || previous == State.ATTACHING
                    ? "Client " + clientId + " closed its connection."
                    : null;
        }
        if (closeReason != null && (settings.connectionMessages() || previous != State.CONNECTED)) {
            log.info(closeReason);
        }
        if (previous == State.CONNECTED) {
            broker.stats().clientDisconnected();
        }
        if (previous == State.CONNECTED && !takenOver) {
            publishWill();
            broker.sessions().disconnected(session, this);
        }
        ctx.fireChannelInactive();
    }

    // ---- CONNECT ----

    private void onConnect(Connect connect) {
        KeepAliveSweeper.of(ctx.executor()).unwatch(this);
        ConnectCheck.Verdict verdict = connectCheck.check(connect, ctx.pipeline());
        if (!verdict.accepted()) {
            refuse(connect, verdict.refusalCode(), verdict.refusalReason());
            return;
        }
        this.clientId = verdict.clientId();
        this.username = verdict.username();
        this.will = willOf(connect, mountPoint);
        startKeepAlive(connect.keepAliveSeconds());
        state = State.ATTACHING;
        ctx.channel().config().setAutoRead(false);
        broker.sessions().connect(clientId, connect.cleanSession(), ctx.executor(), this,
                attached -> onAttached(connect, attached));
    }

    private void refuse(Connect connect, int returnCode, String why) {
        write(new ConnAck(false, returnCode));
        closeWithReason("Client " + (connect.clientId().isEmpty() ? "<unknown>" : connect.clientId()) + " from " + remote()
                + " refused: " + why + " (CONNACK " + returnCode + ").");
    }

    private static Message willOf(Connect connect, String mountPoint) {
        MqttPacket.Will w = connect.will();
        return w == null ? null : new Message(mountPoint + w.topic(), w.payload(), w.qos(), w.retain());
    }

    /** MQTT 3.1.1 section 3.1.2.10: one and a half times the keep alive without a packet ends the connection. */
    private void startKeepAlive(int keepAliveSeconds) {
        if (keepAliveSeconds > 0) {
            watchSilence(TimeUnit.MILLISECONDS.toNanos(keepAliveSeconds * 1500L));
        }
    }

    private void watchSilence(long allowedNanos) {
        keepAliveTimeoutNanos = allowedNanos;
        lastHeardNanos = System.nanoTime();
        KeepAliveSweeper.of(ctx.executor()).watch(this);
    }

    private void onAttached(Connect connect, SessionRegistry.Attached attached) {
        if (state != State.ATTACHING) {
            // The socket closed while the session was on its way: hand it straight back.
            broker.sessions().disconnected(attached.session(), this);
            return;
        }
        session = attached.session();
        session.authorize(username, listener.authorizer());
        state = State.CONNECTED;
        broker.stats().clientConnected();
        write(new ConnAck(attached.sessionPresent(), 0));
        if (settings.connectionMessages()) {
            log.info("New client connected from {} as {} (p{}, c{}, k{}{}).", remote(), clientId,
                    connect.protocolLevel(), connect.cleanSession() ? 1 : 0, connect.keepAliveSeconds(),
                    username == null ? "" : ", u'" + username + "'");
        }
        session.resume();
        processHeldPackets();
    }

    private void hold(MqttPacket packet) {
        if (held == null) {
            held = new ArrayDeque<>();
        }
        held.add(packet);
    }

    /** Acts on held packets until done or until one makes us wait again; reading resumes once all are done. */
    private void processHeldPackets() {
        while (held != null && state == State.CONNECTED && waitingFor == null) {
            MqttPacket packet = held.poll();
            if (packet == null) {
                held = null;
            } else {
                onPacket(packet);
            }
        }
        ctx.flush();
        if (state == State.CONNECTED && waitingFor == null) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    // ---- CONNECTED ----

    private void onPacket(MqttPacket packet) {
        switch (packet.type()) {
            case PUBLISH -> onPublish((Publish) packet);
            case PUBACK -> session.onPubAck(((Ack) packet).packetId());
            case PUBREC -> session.onPubRec(((Ack) packet).packetId());
            case PUBREL -> onPubRel(((Ack) packet).packetId());
            case PUBCOMP -> session.onPubComp(((Ack) packet).packetId());
            case SUBSCRIBE -> onSubscribe((Subscribe) packet);
            case UNSUBSCRIBE -> onUnsubscribe((Unsubscribe) packet);
            case PINGREQ -> write(Empty.PINGRESP);
            case DISCONNECT -> {
                will = null;
                closeWithReason("Client " + clientId + " disconnected.");
            }
            case CONNECT -> closeWithReason("Client " + clientId + " sent a second CONNECT, disconnecting (protocol error).");
            default -> closeWithReason("Client " + clientId + " sent " + packet.type() + ", which only a server sends, disconnecting (protocol error).");
        }
    }

    private void onPublish(Publish publish) {
        if (publish.payload().length > settings.maxPayloadBytes()) {
            closeWithReason("Client " + clientId + " sent a PUBLISH of " + publish.payload().length
                    + " bytes, over message_size_limit " + settings.maxPayloadBytes() + ", disconnecting.");
            return;
        }
        if (publish.retain() && !settings.retainAvailable()) {
            closeWithReason("Client " + clientId + " sent a retained PUBLISH but retain_available is false, disconnecting.");
            return;
        }
        broker.stats().publishReceived(publish.payload().length);
        Message message = new Message(mountPoint + publish.topic(), publish.payload(), publish.qos(), publish.retain());
        // MQTT 3.1.1 cannot refuse a PUBLISH: a denied one is acknowledged as usual and dropped.
        boolean allowed = listener.authorizer().canWrite(clientId, username, message.topic());
        if (!allowed) {
            log.info("Denied PUBLISH from {} (d{}, q{}, r{}, m{}, '{}', ... ({} bytes))", clientId, publish.dup() ? 1 : 0,
                    publish.qos(), publish.retain() ? 1 : 0, publish.packetId(), message.topic(), publish.payload().length);
        }
        switch (publish.qos()) {
            case 0 -> route(message, allowed);
            case 1 -> {
                route(message, allowed);
                write(new Ack(PacketType.PUBACK, publish.packetId()));
            }
            default -> {
                if (session.acceptInboundQos2(publish.packetId())) {
                    route(message, allowed);
                }
                write(new Ack(PacketType.PUBREC, publish.packetId()));
            }
        }
    }

    private void route(Message message, boolean allowed) {
        if (allowed) {
            Session slowSubscriber = broker.router().publish(message);
            if (slowSubscriber != null && waitingFor == null) {
                waitFor(slowSubscriber);
            }
        }
    }

    /**
     * Backpressure: stop reading this publisher's socket until the subscriber catches up. TCP then
     * slows the publisher down, so QoS 1 and 2 messages wait in its own window instead of being
     * dropped from a full subscriber queue.
     */
    private void waitFor(Session slowSubscriber) {
        waitingFor = slowSubscriber;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(this::checkStillWaiting, BACKPRESSURE_POLL_MICROS, TimeUnit.MICROSECONDS);
    }

    private void checkStillWaiting() {
        if (state != State.CONNECTED) {
            return;
        }
        if (waitingFor.isCongested()) {
            ctx.executor().schedule(this::checkStillWaiting, BACKPRESSURE_POLL_MICROS, TimeUnit.MICROSECONDS);
        } else {
            waitingFor = null;
            processHeldPackets();
        }
    }

    private void onPubRel(int packetId) {
        session.releaseInboundQos2(packetId);
        write(new Ack(PacketType.PUBCOMP, packetId));
    }

    private void onSubscribe(Subscribe subscribe) {
        byte[] codes = new byte[subscribe.subscriptions().size()];
        for (int i = 0; i < codes.length; i++) {
            TopicSubscription requested = subscribe.subscriptions().get(i);
            String filter = mountPoint + requested.filter();
            if (!Router.isAcceptableFilter(requested.filter())) {
                log.info("Client {} asked for invalid topic filter '{}', refused.", clientId, requested.filter());
                codes[i] = (byte) 0x80;
            } else if (!listener.authorizer().canSubscribe(clientId, username, filter)) {
                log.info("Denied SUBSCRIBE from {} to '{}'.", clientId, filter);
                codes[i] = (byte) 0x80;
            } else {
                broker.router().subscribe(session, filter, requested.qos());
                codes[i] = (byte) requested.qos();
            }
        }
        write(new SubAck(subscribe.packetId(), codes));
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] != (byte) 0x80) {
                broker.router().deliverRetained(session, mountPoint + subscribe.subscriptions().get(i).filter(), codes[i]);
            }
        }
    }

    private void onUnsubscribe(Unsubscribe unsubscribe) {
        for (String filter : unsubscribe.filters()) {
            broker.router().unsubscribe(session, mountPoint + filter);
        }
        write(new Ack(PacketType.UNSUBACK, unsubscribe.packetId()));
    }

    private void publishWill() {
        if (will != null) {
            Message lastWill = will;
            will = null;
            if (listener.authorizer().canWrite(clientId, username, lastWill.topic())) {
                broker.router().publish(lastWill);
            } else {
                log.info("Denied will of {} on '{}'.", clientId, lastWill.topic());
            }
        }
    }

    // ---- ClientConnection: called by the session on this loop ----

    @Override
    public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain) {
        write(new Publish(withoutMountPoint(message.topic()), message.payload(), qos, retain, dup, packetId));
        broker.stats().publishSent(message.payload().length);
        requestFlush();
    }

    @Override
    public void sendPubRel(int packetId) {
        write(new Ack(PacketType.PUBREL, packetId));
        requestFlush();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void closeTakenOver() {
        if (state == State.CONNECTED) {
            takenOver = true;
            publishWill();
        }
        closeWithReason("Client " + (clientId == null ? remote() : clientId) + " already connected, closing old connection.");
    }

    // ---- helpers ----

    /** Encodes here rather than in a pipeline handler: one handler less per connection and per write. */
    private void write(MqttPacket packet) {
        packetLog.sent(clientIdOrAddress(), packet);
        ctx.write(MqttEncoder.encode(ctx.alloc(), packet), ctx.voidPromise());
    }

    /** Writes from other loops' deliveries are flushed once, after the current batch of tasks. */
    private void requestFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    private void closeWithReason(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        if (state != State.CLOSED) {
            ctx.flush();
            ctx.close();
        }
    }

    /** Subscriptions through a mount point only match topics under it, so the prefix is always there to strip. */
    private String withoutMountPoint(String topic) {
        return mountPoint.isEmpty() ? topic : topic.substring(mountPoint.length());
    }

    private String clientIdOrAddress() {
        return clientId != null ? clientId : remote();
    }

    /** The client's address as mosquitto logs it; worked out when needed, as idle connections should hold little. */
    private String remote() {
        SocketAddress address = ctx.channel().remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    private static int localPort(ChannelHandlerContext ctx) {
        SocketAddress local = ctx.channel().localAddress();
        return local instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }
}
