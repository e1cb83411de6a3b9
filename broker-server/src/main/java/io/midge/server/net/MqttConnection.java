package io.midge.server.net;

import io.midge.core.auth.Authenticator;
import io.midge.core.message.Message;
import io.midge.core.message.Origin;
import io.midge.core.session.ClientConnection;
import io.midge.core.session.Session;
import io.midge.core.session.SessionRegistry;
import io.midge.core.topic.Topics;
import io.midge.core.route.Router;
import io.midge.server.codec.MalformedPacketException;
import io.midge.server.codec.MqttEncoder;
import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Empty;
import io.midge.core.packet.MqttPacket.OversizedPublish;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.SubAck;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.midge.core.packet.MqttPacket.Unsubscribe;
import io.midge.server.codec.PacketTooLargeException;
import io.midge.core.packet.PacketType;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
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
    /** mosquitto's log_type subscribe and unsubscribe lines, switched on separately from the rest. */
    private static final Logger subscribeLog = LoggerFactory.getLogger("midge.subscribe");
    private static final Logger unsubscribeLog = LoggerFactory.getLogger("midge.unsubscribe");
    private static final PacketLog packetLog = new PacketLog(log);
    private static final String UNKNOWN_CLIENT = "<unknown>";

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
    /** Kept for SIGHUP, when mosquitto checks connected clients against the reloaded password file. */
    private byte[] password;
    /** The accepted client's id, user name and rules; null until CONNECT is accepted. */
    private Origin origin;
    private boolean cleanSession;
    private Session session;
    private Message will;
    /** Why the connection ended, for the one log line that says so; null until it is decided. */
    private CloseReason closeReason;
    private String closeDetail;
    private boolean droppingQos2;
    /** The name a refused client goes by in the disconnect line, when mosquitto names it at all. */
    private String refusedAs;
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
        switch (state) {
            case AWAIT_CONNECT -> {
                if (packet instanceof Connect connect) {
                    onConnect(connect);
                } else {
                    close(CloseReason.PROTOCOL_ERROR);
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
        close(CloseReason.TIMEOUT);
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
        if (cause instanceof PacketTooLargeException tooLarge) {
            log.debug("Client {} sent a packet over the size limit ({}).", logName(), tooLarge.getMessage());
            close(CloseReason.OVERSIZE_PACKET);
        } else if (cause instanceof MalformedPacketException malformed) {
            String notice = malformed.notice(logName(), remoteHost());
            if (notice != null) {
                log.info(notice);
            }
            log.debug("Client {} sent an invalid packet: {}.", logName(), malformed.getMessage());
            switch (malformed.kind()) {
                case MALFORMED -> close(CloseReason.MALFORMED_PACKET);
                case PROTOCOL_ERROR -> close(CloseReason.PROTOCOL_ERROR);
                case INVALID_ARGUMENT -> close(CloseReason.BAD_SOCKET, "Invalid function arguments provided.");
                case MALFORMED_UTF8 -> close(CloseReason.BAD_SOCKET, "Malformed UTF-8");
            }
        } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException tls) {
            close(CloseReason.SOCKET_ERROR, tls.getMessage());
        } else if (cause instanceof DecoderException) {
            // Broken WebSocket framing or HTTP upgrade: the bytes are not a packet stream.
            log.debug("Client {} sent undecodable data: {}.", logName(), cause.getMessage());
            close(CloseReason.MALFORMED_PACKET);
        } else if (cause instanceof IOException) {
            String error = SystemErrors.strerror(cause);
            // A reset is how many clients hang up; mosquitto counts it as closing the connection.
            if (error.contains("Connection reset")) {
                close(CloseReason.CLOSED_BY_CLIENT);
            } else {
                close(CloseReason.SOCKET_ERROR, error);
            }
        } else {
            log.error("Unexpected error on client {}, disconnecting.", logName(), cause);
            close(CloseReason.QUIET);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        KeepAliveSweeper.of(ctx.executor()).unwatch(this);
        State previous = state;
        state = State.CLOSED;
        if (closeReason == null) {
            closeReason = CloseReason.CLOSED_BY_CLIENT;
        }
        String line = closeReason.line(logName(), closeDetail);
        if (line != null && settings.connectionMessages()) {
            log.info(line);
        }
        if (previous == State.CONNECTED) {
            broker.stats().clientDisconnected();
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
            refuse(connect, verdict);
            return;
        }
        this.clientId = verdict.clientId();
        this.password = connect.password();
        this.origin = new Origin(clientId, verdict.username(), listener.authorizer());
        this.cleanSession = connect.cleanSession();
        this.will = willOf(connect);
        startKeepAlive(connect.keepAliveSeconds());
        state = State.ATTACHING;
        ctx.channel().config().setAutoRead(false);
        broker.sessions().connect(clientId, connect.cleanSession(), ctx.executor(), this,
                attached -> onAttached(connect, attached));
    }

    /**
     * As mosquitto: CONNACK with the code (unless it closes without one), then close; the client
     * is "<unknown>" in the log unless mosquitto had taken its client id already.
     */
    private void refuse(Connect connect, ConnectCheck.Verdict verdict) {
        if (verdict.noticeFormat() != null) {
            log.info(String.format(verdict.noticeFormat(), connect.clientId(), remoteHost()));
        }
        if (verdict.sendsConnAck()) {
            write(new ConnAck(false, verdict.refusalCode()));
        }
        refusedAs = verdict.logName();
        close(verdict.closeReason(), verdict.closeDetail());
    }

    private Message willOf(Connect connect) {
        MqttPacket.Will w = connect.will();
        return w == null ? null : new Message(mountPoint + w.topic(), w.payload(), w.qos(), w.retain(), origin);
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
        session.authorize(origin.username(), listener.authorizer());
        state = State.CONNECTED;
        broker.stats().clientConnected();
        boolean mqtt31 = connect.protocolLevel() == 3;
        if (settings.connectionMessages()) {
            // mosquitto numbers the protocols p1 (3.1) and p2 (3.1.1).
            log.info("New client connected from {} as {} (p{}, c{}, k{}{}).", remote(), clientId, mqtt31 ? 1 : 2,
                    connect.cleanSession() ? 1 : 0, connect.keepAliveSeconds(),
                    origin.username() == null ? "" : ", u'" + origin.username() + "'");
        }
        packetLog.will(will);
        // MQTT 3.1's CONNACK has no session present flag: its first byte is reserved.
        write(new ConnAck(attached.sessionPresent() && !mqtt31, 0));
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
        packetLog.received(clientId, packet);
        switch (packet.type()) {
            case PUBLISH -> {
                if (packet instanceof Publish publish) {
                    onPublish(publish);
                } else {
                    onOversizedPublish((OversizedPublish) packet);
                }
            }
            case PUBACK -> onAckOutcome(PacketType.PUBACK, ((Ack) packet).packetId(),
                    session.onPubAck(((Ack) packet).packetId()));
            case PUBREC -> onPubRec(((Ack) packet).packetId());
            case PUBREL -> onPubRel(((Ack) packet).packetId());
            case PUBCOMP -> onAckOutcome(PacketType.PUBCOMP, ((Ack) packet).packetId(),
                    session.onPubComp(((Ack) packet).packetId()));
            case SUBSCRIBE -> onSubscribe((Subscribe) packet);
            case UNSUBSCRIBE -> onUnsubscribe((Unsubscribe) packet);
            case PINGREQ -> write(Empty.PINGRESP);
            case DISCONNECT -> {
                will = null;
                close(CloseReason.DISCONNECTED);
            }
            case CONNECT -> {
                log.info("Bad client {} sending multiple CONNECT messages.", clientId);
                close(CloseReason.PROTOCOL_ERROR);
            }
            default -> close(CloseReason.PROTOCOL_ERROR); // the decoder lets no server-only packet through
        }
    }

    /**
     * What mosquitto checks of every PUBLISH before anything else: the listener's max_qos and
     * retain_available. A client that ignores either is disconnected.
     */
    private boolean mayPublishWith(int qos, boolean retain) {
        if (qos > listener.maxQos()) {
            log.info("Too high QoS in PUBLISH from {}, disconnecting.", clientId);
            close(CloseReason.BAD_SOCKET, ConnectCheck.QOS_NOT_SUPPORTED);
            return false;
        }
        if (retain && !settings.retainAvailable()) {
            close(CloseReason.NOT_SUPPORTED);
            return false;
        }
        return true;
    }

    private void onPublish(Publish publish) {
        if (!mayPublishWith(publish.qos(), publish.retain())) {
            return;
        }
        broker.stats().publishReceived(publish.payload().length);
        Message message = new Message(mountPoint + publish.topic(), publish.payload(), publish.qos(), publish.retain(), origin);
        // MQTT 3.1.1 cannot refuse a PUBLISH: a denied one is acknowledged as usual and dropped.
        boolean allowed = origin.mayWrite(message.topic());
        packetLog.publish(allowed ? "Received" : "Denied", clientId, publish.dup(), publish.qos(), publish.retain(),
                publish.packetId(), message.topic(), publish.payload().length);
        switch (publish.qos()) {
            case 0 -> route(message, allowed);
            case 1 -> {
                route(message, allowed);
                write(new Ack(PacketType.PUBACK, publish.packetId()));
            }
            default -> {
                if (allowed) {
                    storeUntilReleased(publish.packetId(), message);
                }
                if (closeReason == null) { // a third copy closes without PUBREC
                    write(new Ack(PacketType.PUBREC, publish.packetId()));
                }
            }
        }
    }

    /**
     * Inbound QoS 2 as the spec's method A and mosquitto: the message is kept until PUBREL, and
     * only then routed, so that resends before it are never delivered twice.
     */
    private void storeUntilReleased(int packetId, Message message) {
        switch (session.receiveInboundQos2(packetId, message)) {
            case STORED, REPEATED -> { }
            case REPEATED_TOO_OFTEN -> {
                log.debug("Client {} sent QoS 2 packet identifier {} a third time before PUBREL.", clientId, packetId);
                close(CloseReason.PROTOCOL_ERROR);
            }
            case REPLACED -> log.warn("Reused message ID {} from {} detected. Clearing from storage.", packetId, clientId);
            case DROPPED -> {
                if (!droppingQos2) {
                    droppingQos2 = true;
                    log.warn("Warning: Client {} has too many QoS 2 messages awaiting PUBREL; dropping new ones.", clientId);
                }
            }
        }
    }

    /** message_size_limit, as mosquitto: the message is dropped but acknowledged, and the client stays. */
    private void onOversizedPublish(OversizedPublish publish) {
        if (!mayPublishWith(publish.qos(), publish.retain())) {
            return;
        }
        packetLog.publish("Dropped too large", clientId, publish.dup(), publish.qos(), publish.retain(),
                publish.packetId(), mountPoint + publish.topic(), publish.payloadLength());
        if (publish.qos() == 1) {
            write(new Ack(PacketType.PUBACK, publish.packetId()));
        } else if (publish.qos() == 2) {
            write(new Ack(PacketType.PUBREC, publish.packetId()));
        }
    }

    /** Messages to $CONTROL/ are addressed to the broker (mosquitto's plugins), never to subscribers. */
    private void route(Message message, boolean allowed) {
        if (allowed && !message.topic().startsWith(Topics.CONTROL_PREFIX)) {
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

    private void onPubRec(int packetId) {
        Session.AckOutcome outcome = session.onPubRec(packetId);
        onAckOutcome(PacketType.PUBREC, packetId, outcome);
        if (outcome != Session.AckOutcome.WRONG_KIND) {
            write(new Ack(PacketType.PUBREL, packetId));
        }
    }

    /**
     * As mosquitto: an acknowledgement for a packet identifier not in flight is a warning (it may
     * repeat one from before a reconnect); one of the wrong kind (PUBREC or PUBCOMP for QoS 1,
     * PUBACK for QoS 2) is a protocol error.
     */
    private void onAckOutcome(PacketType type, int packetId, Session.AckOutcome outcome) {
        switch (outcome) {
            case ACCEPTED -> { }
            case UNKNOWN_PACKET_ID -> log.warn("Warning: Received {} from {} for an unknown packet identifier {}.",
                    type, clientId, packetId);
            case WRONG_KIND -> {
                log.debug("Client {} sent {} for packet identifier {}, which awaits another acknowledgement.",
                        clientId, type, packetId);
                close(CloseReason.PROTOCOL_ERROR);
            }
        }
    }

    /** PUBCOMP is sent for an unknown packet identifier too: it may be a PUBREL repeated after a reconnect. */
    private void onPubRel(int packetId) {
        Message released = session.releaseInboundQos2(packetId);
        if (released != null) {
            route(released, true);
        }
        write(new Ack(PacketType.PUBCOMP, packetId));
    }

    /**
     * acl_file never refuses a subscription, as in mosquitto 2.0: the SUBACK grants what was
     * asked (at most max_qos) and read rules filter each delivery.
     */
    private void onSubscribe(Subscribe subscribe) {
        byte[] codes = new byte[subscribe.subscriptions().size()];
        for (int i = 0; i < codes.length; i++) {
            TopicSubscription requested = subscribe.subscriptions().get(i);
            packetLog.filter(requested.filter(), requested.qos());
            int granted = Math.min(requested.qos(), listener.maxQos());
            broker.router().subscribe(session, mountPoint + requested.filter(), granted);
            subscribeLog.info("{} {} {}", clientId, granted, requested.filter());
            codes[i] = (byte) granted;
        }
        write(new SubAck(subscribe.packetId(), codes));
        for (int i = 0; i < codes.length; i++) {
            broker.router().deliverRetained(session, mountPoint + subscribe.subscriptions().get(i).filter(), codes[i]);
        }
    }

    private void onUnsubscribe(Unsubscribe unsubscribe) {
        for (String filter : unsubscribe.filters()) {
            packetLog.filter(filter, -1);
            broker.router().unsubscribe(session, mountPoint + filter);
            unsubscribeLog.info("{} {}", clientId, filter);
        }
        write(new Ack(PacketType.UNSUBACK, unsubscribe.packetId()));
    }

    private void publishWill() {
        if (will != null) {
            Message lastWill = will;
            will = null;
            if (origin.mayWrite(lastWill.topic())) {
                broker.router().publish(lastWill);
            } else {
                log.debug("Denied will of {} on '{}'.", clientId, lastWill.topic());
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

    /**
     * Lets go of the session at once: from here on another loop owns it, so nothing scheduled on
     * this connection (held packets, a backpressure check) may touch it again.
     */
    @Override
    public void closeTakenOver(boolean successorCleanSession) {
        if (state == State.CONNECTED) {
            broker.stats().clientDisconnected();
            if (cleanSession || successorCleanSession) {
                publishWill();
            }
            if (settings.connectionMessages()) {
                log.info("Client {} already connected, closing old connection.", clientId);
            }
        }
        will = null;
        session = null;
        waitingFor = null;
        held = null;
        closeReason = CloseReason.TAKEN_OVER;
        if (state != State.CLOSED) {
            state = State.CLOSED;
            ctx.flush();
            ctx.close();
        }
    }

    @Override
    public void recheckCredentials() {
        if (state != State.CONNECTED || listener.usernameFromCertificate()) {
            return;
        }
        if (listener.authenticator().authenticate(clientId, origin.username(), password) != Authenticator.Result.ACCEPTED) {
            will = null;
            close(CloseReason.DISCONNECTED);
        }
    }

    // ---- helpers ----

    /** Encodes here rather than in a pipeline handler: one handler less per connection and per write. */
    private void write(MqttPacket packet) {
        packetLog.sent(clientId != null ? clientId : remoteHost(), packet);
        ctx.write(MqttEncoder.encode(ctx.alloc(), packet), ctx.voidPromise());
    }

    /** Writes from other loops' deliveries are flushed once, after the current batch of tasks. */
    private void requestFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    private void close(CloseReason reason) {
        close(reason, null);
    }

    private void close(CloseReason reason, String detail) {
        if (closeReason == null) {
            closeReason = reason;
            closeDetail = detail;
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

    /** The client as mosquitto's disconnect lines name it: its id once CONNECT was accepted. */
    private String logName() {
        if (clientId != null) {
            return clientId;
        }
        return refusedAs != null ? refusedAs : UNKNOWN_CLIENT;
    }

    /** The client's address and port as mosquitto logs it; worked out when needed, as idle connections should hold little. */
    private String remote() {
        SocketAddress address = ctx.channel().remoteAddress();
        return address instanceof InetSocketAddress inet ? remoteHost() + ":" + inet.getPort() : String.valueOf(address);
    }

    /** The client's address without the port, as mosquitto names a client it has no id for. */
    private String remoteHost() {
        SocketAddress address = ctx.channel().remoteAddress();
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    private static int localPort(ChannelHandlerContext ctx) {
        SocketAddress local = ctx.channel().localAddress();
        return local instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }
}
