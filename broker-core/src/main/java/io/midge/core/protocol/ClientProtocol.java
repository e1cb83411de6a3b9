package io.midge.core.protocol;

import io.midge.core.auth.Authenticator;
import io.midge.core.auth.EnhancedAuthentication;
import io.midge.core.message.Message;
import io.midge.core.message.Origin;
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
import io.midge.core.packet.MqttPacket.Auth;
import io.midge.core.packet.MqttPacket.Disconnect;
import io.midge.core.packet.MqttPacket.UnsubAck;
import io.midge.core.packet.PacketType;
import io.midge.core.packet.Properties;
import io.midge.core.packet.Property;
import io.midge.core.packet.ReasonCode;
import io.midge.core.packet.WireSize;
import io.midge.core.message.MessageIds;
import io.midge.core.route.DrainWaiter;
import io.midge.core.route.SharedFilter;
import io.midge.core.route.Publisher;
import io.midge.core.route.Subscriber;
import io.midge.core.session.ClientConnection;
import io.midge.core.session.ClientInfo;
import io.midge.core.session.InboundQos2Receipt;
import io.midge.core.session.Session;
import io.midge.core.session.SessionRegistry;
import io.midge.core.store.BrokerStore;
import io.midge.core.store.Commit;
import io.midge.core.sys.BrokerStats;
import io.midge.core.sys.SysTopics;
import io.midge.core.topic.SubscriptionOptions;
import io.midge.core.topic.Topics;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * One client's MQTT 3.1/3.1.1/5 protocol state machine, between its {@link Transport} and its
 * {@link Session}: CONNECT, publishing with QoS 0–2, acknowledgements, subscriptions, wills,
 * backpressure and mosquitto's log lines. Knows nothing of sockets. Runs on the transport's
 * event loop, which also owns the session while connected.
 */
public final class ClientProtocol implements ClientConnection, Publisher, DrainWaiter {

    private static final Logger log = LoggerFactory.getLogger("midge");
    /** mosquitto's log_type subscribe and unsubscribe lines, switched on separately from the rest. */
    private static final Logger subscribeLog = LoggerFactory.getLogger("midge.subscribe");
    private static final Logger unsubscribeLog = LoggerFactory.getLogger("midge.unsubscribe");
    private static final PacketLog packetLog = new PacketLog(log);
    private static final String UNKNOWN_CLIENT = "<unknown>";

    /** AUTHENTICATING: an MQTT 5 CONNECT began an enhanced authentication exchange, which must end before anything else. */
    private enum State { AWAIT_CONNECT, AUTHENTICATING, ATTACHING, CONNECTED, CLOSED }

    /** MQTT 3.1.1's CONNACK code 3. */
    private static final int CONNACK_SERVER_UNAVAILABLE = 3;
    private static final String MEMORY_LIMIT_REFUSAL = "Client %1$s connection from %2$s denied: memory_limit exceeded.";

    private final ProtocolContext context;
    private final ConnectPolicy connectPolicy;
    private final Transport transport;
    /** Packets waiting for their commit, and those made after them; null until one has to wait, as in memory none ever does. */
    private OrderedWrites ordered;
    private State state = State.AWAIT_CONNECT;
    /** Kept for SIGHUP, when mosquitto checks connected clients against the reloaded password file. */
    private byte[] password;
    /** The accepted client's id, user name and rules; null until CONNECT is accepted. The client id is read from here, not kept twice. */
    private Origin origin;
    private boolean cleanSession;
    private Session session;
    /** Connected as a bridge (mosquitto's try_private): its subscriptions get no local and retain as published. */
    private boolean bridge;
    private Message will;
    /** Why the connection ended, for the one log line that says so; null until it is decided. */
    private CloseReason closeReason;
    private String closeDetail;
    private boolean droppingQos2;
    /** The name a refused client goes by in the disconnect line, when mosquitto names it at all. */
    private String refusedAs;
    private boolean flushScheduled;
    /** A subscriber this connection's publishes wait for, reading paused, or null. */
    private Subscriber waitingFor;
    /**
     * Packets read but not acted on yet: those behind CONNECT while the session is handed over to
     * us, and those behind a PUBLISH that made us wait for a slow subscriber. Reading is paused
     * meanwhile, so this holds at most one read's worth. Null when empty, as idle connections
     * should carry nothing.
     */
    private ArrayDeque<MqttPacket> held;

    /** Created at the first flush request: a connection nobody writes to never needs it. */
    private Runnable flushTask;
    /** The keep alive in force: the client's, or max_keepalive when it asked for more (MQTT 5 server keep alive). */
    private int keepAliveSeconds;
    /** CONNECT's protocol level, for monitoring. */
    private byte protocolLevel;
    /** What only an MQTT 5 connection keeps; null for 3.1/3.1.1 clients, so that they do not pay for it. */
    private Mqtt5State v5;
    /** An MQTT 5 enhanced authentication's state; null unless the client authenticates so. */
    private EnhancedAuthState auth;

    public ClientProtocol(ProtocolContext context, ConnectPolicy connectPolicy, Transport transport) {
        this.context = context;
        this.connectPolicy = connectPolicy;
        this.transport = transport;
    }

    // ---- transport events ----

    /** A packet from the client. */
    public void received(MqttPacket packet) {
        switch (state) {
            case AWAIT_CONNECT -> {
                if (packet instanceof Connect connect) {
                    onConnect(connect);
                } else {
                    close(CloseReason.PROTOCOL_ERROR);
                }
            }
            case AUTHENTICATING -> {
                if (packet instanceof Auth auth && auth.reasonCode() == ReasonCode.CONTINUE_AUTHENTICATION
                        && this.auth.method.equals(auth.properties().string(Property.AUTHENTICATION_METHOD))) {
                    onConnectAuthStep(this.auth.exchange.step(auth.properties().binary(Property.AUTHENTICATION_DATA)));
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

    /** Whether no CONNECT has been accepted yet: the connect timeout, not keep alive, applies. */
    public boolean awaitingConnect() {
        return state == State.AWAIT_CONNECT || state == State.AUTHENTICATING;
    }

    /** The transport has room again. */
    public void writable() {
        if (state == State.CONNECTED) {
            session.drain();
        }
    }

    /** The transport closed: log why, publish the will if due, and hand the session back. */
    public void closed() {
        State previous = state;
        state = State.CLOSED;
        discardWaitingWrites();
        if (closeReason == null) {
            closeReason = CloseReason.CLOSED_BY_CLIENT;
        }
        String line = closeReason.line(logName(), closeDetail);
        if (line != null && context.connectionMessages()) {
            log.info(line);
        }
        if (previous == State.CONNECTED) {
            context.stats().clientDisconnected();
            if (will != null && v5 != null && v5.willDelayMillis > 0 && !cleanSession) {
                delayWill();
            } else {
                publishWill();
            }
            context.sessions().disconnected(session, this);
        }
    }

    /**
     * MQTT 5's will delay interval: the will waits, and is not published if the client is back
     * in time [MQTT-3.1.3-9]; the session's end, if sooner, publishes it [MQTT-3.1.2-8].
     */
    private void delayWill() {
        long expiryMillis = expiryMillisOf(v5.sessionExpirySeconds);
        session.delayWill(this::publishWill, Math.min(v5.willDelayMillis, expiryMillis));
    }

    public void close(CloseReason reason) {
        close(reason, null);
    }

    /** Closes for {@code reason}; the first reason given is the one the disconnect line states. */
    public void close(CloseReason reason, String detail) {
        close(reason, detail, Mqtt5Reasons.forClose(reason, detail));
    }

    /**
     * @param disconnectReason the reason code of the DISCONNECT an MQTT 5 client is sent first
     *                         [MQTT-4.13.1-1], or -1 for none (the client closed, or went quiet)
     */
    private void close(CloseReason reason, String detail, int disconnectReason) {
        if (closeReason == null) {
            closeReason = reason;
            closeDetail = detail;
        }
        if (state == State.CONNECTED && mqtt5() && disconnectReason >= 0 && !v5.disconnectSent) {
            v5.disconnectSent = true;
            write(new Disconnect(disconnectReason, Properties.EMPTY));
        }
        if (state != State.CLOSED) {
            transport.close();
        }
    }

    /** mosquitto's line for why this side closed the connection, or null if it did not (yet) or has nothing to say. */
    public String closeLine() {
        return closeReason == null ? null : closeReason.line(logName(), closeDetail);
    }

    /** The client as mosquitto's disconnect lines name it: its id once CONNECT was accepted. */
    public String logName() {
        if (clientId() != null) {
            return clientId();
        }
        return refusedAs != null ? refusedAs : UNKNOWN_CLIENT;
    }

    // ---- CONNECT ----

    private void onConnect(Connect connect) {
        if (connect.mqtt5()) {
            v5 = new Mqtt5State();
        }
        if (mqtt5() && connect.properties().has(Property.AUTHENTICATION_METHOD)) {
            beginConnectAuthentication(connect);
        } else {
            onAuthenticatedConnect(connect);
        }
    }

    /** MQTT 5 enhanced authentication (section 4.12): AUTH packets go back and forth before CONNACK. */
    private void beginConnectAuthentication(Connect connect) {
        String method = connect.properties().string(Property.AUTHENTICATION_METHOD);
        EnhancedAuthentication methods = context.authenticator().enhanced();
        if (!methods.supports(method)) {
            // [MQTT-4.12.0-1]: a method the server does not offer ends the connection here.
            write(new ConnAck(false, ReasonCode.BAD_AUTHENTICATION_METHOD, Properties.EMPTY));
            close(CloseReason.NOT_AUTHORISED);
            return;
        }
        auth = new EnhancedAuthState(method, methods.begin(connect.clientId(), method));
        auth.pendingConnect = connect;
        state = State.AUTHENTICATING;
        onConnectAuthStep(auth.exchange.step(connect.properties().binary(Property.AUTHENTICATION_DATA)));
    }

    private void onConnectAuthStep(EnhancedAuthentication.Step step) {
        switch (step.outcome()) {
            case CONTINUE -> writeAuth(ReasonCode.CONTINUE_AUTHENTICATION, step.data());
            case SUCCESS -> {
                Connect connect = auth.pendingConnect;
                auth.pendingConnect = null;
                auth.exchange = null;
                auth.successData = step.data();
                state = State.AWAIT_CONNECT;
                onAuthenticatedConnect(connect);
            }
            case FAILURE -> {
                write(new ConnAck(false, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY));
                close(CloseReason.NOT_AUTHORISED);
            }
        }
    }

    private void writeAuth(int reasonCode, byte[] data) {
        Properties.Builder properties = Properties.builder().put(Property.AUTHENTICATION_METHOD, this.auth.method);
        if (data != null) {
            properties.put(Property.AUTHENTICATION_DATA, data);
        }
        write(new Auth(reasonCode, properties.build()));
        transport.flush();
    }

    /**
     * Re-authentication of a connected MQTT 5 client (section 4.12.1), with the method it
     * authenticated with; publishing and delivery go on meanwhile.
     */
    private void onAuth(Auth auth) {
        EnhancedAuthState state = this.auth;
        boolean sameMethod = state != null && state.method.equals(auth.properties().string(Property.AUTHENTICATION_METHOD));
        if (!sameMethod) {
            close(CloseReason.PROTOCOL_ERROR);
            return;
        }
        boolean starts = auth.reasonCode() == ReasonCode.REAUTHENTICATE && state.exchange == null;
        boolean continues = auth.reasonCode() == ReasonCode.CONTINUE_AUTHENTICATION && state.exchange != null;
        if (!starts && !continues) {
            close(CloseReason.PROTOCOL_ERROR);
            return;
        }
        if (starts) {
            state.exchange = context.authenticator().enhanced().begin(clientId(), state.method);
        }
        EnhancedAuthentication.Step step = state.exchange.step(auth.properties().binary(Property.AUTHENTICATION_DATA));
        switch (step.outcome()) {
            case CONTINUE -> writeAuth(ReasonCode.CONTINUE_AUTHENTICATION, step.data());
            case SUCCESS -> {
                state.exchange = null;
                writeAuth(ReasonCode.SUCCESS, step.data());
            }
            case FAILURE -> {
                will = null;
                close(CloseReason.NOT_AUTHORISED, null, ReasonCode.NOT_AUTHORIZED);
            }
        }
    }

    private void onAuthenticatedConnect(Connect connect) {
        ConnectVerdict verdict = connectPolicy.check(connect);
        if (verdict.accepted() && context.sessions().memory().exhausted() && context.sessions().get(verdict.clientId()) == null) {
            // memory_limit reached: a new client is refused, but one whose session is here may come back
            // for what it holds (mosquitto refuses it too, and then nothing frees the memory that session holds).
            verdict = ConnectVerdict.refuse(CONNACK_SERVER_UNAVAILABLE, CloseReason.QUIET, MEMORY_LIMIT_REFUSAL);
        }
        if (!verdict.accepted()) {
            refuse(connect, verdict);
            return;
        }
        this.password = connect.password();
        this.origin = new Origin(verdict.clientId(), verdict.username(), context.authorizer());
        this.keepAliveSeconds = connect.keepAliveSeconds();
        this.protocolLevel = (byte) connect.protocolLevel();
        long expiryMillis;
        if (mqtt5()) {
            Properties properties = connect.properties();
            v5.sessionExpirySeconds = properties.unsignedValue(Property.SESSION_EXPIRY_INTERVAL, 0);
            expiryMillis = expiryMillisOf(v5.sessionExpirySeconds);
            v5.clientMaximumPacketSize = (int) Math.min(Integer.MAX_VALUE,
                    properties.unsignedValue(Property.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE));
            int clientAliases = properties.intValue(Property.TOPIC_ALIAS_MAXIMUM, 0);
            v5.outboundAliases = clientAliases > 0 ? new OutboundTopicAliases(clientAliases) : null;
            if (keepAliveSeconds > context.mqtt5().maxKeepalive()) {
                keepAliveSeconds = context.mqtt5().maxKeepalive();
            }
            this.cleanSession = expiryMillis == 0;
        } else {
            this.cleanSession = connect.cleanSession();
            expiryMillis = cleanSession ? 0 : io.midge.core.session.Session.NEVER_EXPIRES;
        }
        this.will = willOf(connect);
        state = State.ATTACHING;
        transport.pauseReading();
        context.sessions().connect(clientId(), connect.cleanSession(), expiryMillis, transport.executor(), this,
                attached -> onAttached(connect, attached));
    }

    /** An MQTT 5 session expiry interval as the registry takes it: 0xFFFFFFFF is never [MQTT-3.1.2-?]. */
    private static long expiryMillisOf(long seconds) {
        return seconds == 0xFFFF_FFFFL ? io.midge.core.session.Session.NEVER_EXPIRES : seconds * 1000;
    }

    /** The keep alive the connection is held to; valid once CONNECT is accepted. */
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    /**
     * As mosquitto: CONNACK with the code (unless it closes without one), then close; the client
     * is "<unknown>" in the log unless mosquitto had taken its client id already.
     */
    private void refuse(Connect connect, ConnectVerdict verdict) {
        if (verdict.noticeFormat() != null) {
            log.info(String.format(verdict.noticeFormat(), connect.clientId(), transport.remoteHost()));
        }
        if (verdict.sendsConnAck()) {
            int code = mqtt5() ? Mqtt5Reasons.forConnectRefusal(verdict.refusalCode()) : verdict.refusalCode();
            context.stats().connectionRefused(code);
            write(mqtt5() ? new ConnAck(false, code, Properties.EMPTY) : new ConnAck(false, code));
        } else {
            context.stats().connectionRefused(-1);
        }
        refusedAs = verdict.logName();
        close(verdict.closeReason(), verdict.closeDetail());
    }

    private Message willOf(Connect connect) {
        MqttPacket.Will w = connect.will();
        if (w == null) {
            return null;
        }
        if (w.properties().absent() || w.properties().isEmpty()) {
            return new Message(mountPoint() + w.topic(), w.payload(), w.qos(), w.retain(), origin);
        }
        v5.willDelayMillis = w.properties().unsignedValue(Property.WILL_DELAY_INTERVAL, 0) * 1000;
        v5.willExpirySeconds = w.properties().unsignedValue(Property.MESSAGE_EXPIRY_INTERVAL, -1);
        // The will's expiry interval counts from when it is published, so it is applied then.
        return new Message(MessageIds.next(), mountPoint() + w.topic(), w.payload(), w.qos(), w.retain(), origin,
                0, PublishProperties.forwarded(w.properties()));
    }

    private void onAttached(Connect connect, SessionRegistry.Attached attached) {
        if (state != State.ATTACHING) {
            // The socket closed while the session was on its way: hand it straight back.
            context.sessions().disconnected(attached.session(), this);
            return;
        }
        session = attached.session();
        session.authorize(origin);
        state = State.CONNECTED;
        context.stats().clientConnected();
        boolean mqtt31 = connect.protocolLevel() == Connect.LEVEL_MQTT_3_1;
        bridge = connect.bridge();
        if (context.connectionMessages()) {
            // mosquitto numbers the protocols p1 (3.1), p2 (3.1.1) and p5.
            log.info("New {} connected from {} as {} (p{}, c{}, k{}{}).", bridge ? "bridge" : "client",
                    transport.remoteAddress(), clientId(),
                    mqtt5() ? 5 : mqtt31 ? 1 : 2, connect.cleanSession() ? 1 : 0, connect.keepAliveSeconds(),
                    origin.username() == null ? "" : ", u'" + origin.username() + "'");
        }
        if (mqtt5()) {
            session.limitInflight(connect.properties().intValue(Property.RECEIVE_MAXIMUM, 65535));
        }
        if (!context.bridge()) {
            packetLog.will(will); // a bridge's local side has no will, and mosquitto says nothing of it
        }
        // A persistent session is on disk before its client hears of it (and the will with it).
        session.connected(will);
        // MQTT 3.1's CONNACK has no session present flag: its first byte is reserved.
        writeWhenCommitted(store().commit(), mqtt5()
                ? new ConnAck(attached.sessionPresent(), ReasonCode.SUCCESS, connAckProperties(connect))
                : new ConnAck(attached.sessionPresent() && !mqtt31, 0));
        session.resume();
        processHeldPackets();
    }

    /** What the client is told of this broker, as mosquitto tells it: only what differs from the spec's defaults. */
    private Properties connAckProperties(Connect connect) {
        Mqtt5Limits limits = context.mqtt5();
        Properties.Builder properties = Properties.builder();
        if (connect.clientId().isEmpty()) {
            properties.put(Property.ASSIGNED_CLIENT_IDENTIFIER, clientId());
        }
        if (auth != null) {
            properties.put(Property.AUTHENTICATION_METHOD, auth.method);
            if (auth.successData != null) {
                properties.put(Property.AUTHENTICATION_DATA, auth.successData);
                auth.successData = null;
            }
        }
        if (keepAliveSeconds != connect.keepAliveSeconds()) {
            properties.put(Property.SERVER_KEEP_ALIVE, keepAliveSeconds);
        }
        if (limits.maxTopicAlias() > 0) {
            properties.put(Property.TOPIC_ALIAS_MAXIMUM, limits.maxTopicAlias());
        }
        if (limits.receiveMaximum() < 65535) {
            properties.put(Property.RECEIVE_MAXIMUM, limits.receiveMaximum());
        }
        if (context.maxQos() < 2) {
            properties.put(Property.MAXIMUM_QOS, context.maxQos());
        }
        if (!context.retainAvailable()) {
            properties.put(Property.RETAIN_AVAILABLE, 0);
        }
        if (limits.maxPacketSize() > 0) {
            properties.put(Property.MAXIMUM_PACKET_SIZE, limits.maxPacketSize());
        }
        return properties.build();
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
        transport.flush();
        if (state == State.CONNECTED && waitingFor == null) {
            transport.resumeReading();
        }
    }

    // ---- CONNECTED ----

    private void onPacket(MqttPacket packet) {
        packetLog.received(clientId(), packet);
        if (mqtt5() && !ClientReasonCodes.valid(packet)) {
            close(CloseReason.MALFORMED_PACKET); // a reason code a client may not send in this packet
            return;
        }
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
            case PUBREC -> onPubRec((Ack) packet);
            case PUBREL -> onPubRel(((Ack) packet).packetId());
            case PUBCOMP -> onAckOutcome(PacketType.PUBCOMP, ((Ack) packet).packetId(),
                    session.onPubComp(((Ack) packet).packetId()));
            case SUBSCRIBE -> onSubscribe((Subscribe) packet);
            case UNSUBSCRIBE -> onUnsubscribe((Unsubscribe) packet);
            case PINGREQ -> write(Empty.PINGRESP);
            case DISCONNECT -> onDisconnect(packet);
            case AUTH -> onAuth((Auth) packet);
            case CONNECT -> {
                log.info("Bad client {} sending multiple CONNECT messages.", clientId());
                close(CloseReason.PROTOCOL_ERROR);
            }
            default -> close(CloseReason.PROTOCOL_ERROR); // the decoder lets no server-only packet through
        }
    }

    /**
     * The client is leaving. In MQTT 5 it may ask for its will all the same (0x04), and change the
     * session expiry interval, unless CONNECT set it to 0 [MQTT-3.14.2-2].
     */
    private void onDisconnect(MqttPacket packet) {
        if (packet instanceof Disconnect disconnect) {
            long expiry = disconnect.properties().unsignedValue(Property.SESSION_EXPIRY_INTERVAL, -1);
            if (expiry >= 0) {
                if (v5.sessionExpirySeconds == 0 && expiry != 0) {
                    close(CloseReason.PROTOCOL_ERROR);
                    return;
                }
                v5.sessionExpirySeconds = expiry;
                long expiryMillis = expiryMillisOf(expiry);
                cleanSession = expiryMillis == 0;
                context.sessions().changeExpiry(session, expiryMillis);
            }
            if (disconnect.reasonCode() != ReasonCode.DISCONNECT_WITH_WILL) {
                will = null;
            }
        } else {
            will = null;
        }
        close(CloseReason.DISCONNECTED, null, -1);
    }

    /**
     * What mosquitto checks of every PUBLISH before anything else: the listener's max_qos and
     * retain_available. A client that ignores either is disconnected.
     */
    private boolean mayPublishWith(int qos, boolean retain) {
        if (qos > context.maxQos()) {
            log.info("Too high QoS in PUBLISH from {}, disconnecting.", clientId());
            close(CloseReason.BAD_SOCKET, CloseReason.QOS_NOT_SUPPORTED, ReasonCode.QOS_NOT_SUPPORTED);
            return false;
        }
        if (retain && !context.retainAvailable()) {
            close(CloseReason.NOT_SUPPORTED, null, ReasonCode.RETAIN_NOT_SUPPORTED);
            return false;
        }
        return true;
    }

    private void onPublish(Publish publish) {
        if (!mayPublishWith(publish.qos(), publish.retain())) {
            return;
        }
        if (context.sessions().memory().exhausted()) {
            // memory_limit reached: the message is dropped and its publisher disconnected, as in mosquitto.
            context.stats().messageDropped(BrokerStats.DropReason.MEMORY_LIMIT);
            closeOutOfMemory();
            return;
        }
        String topic = publish.topic();
        Message message;
        if (mqtt5()) {
            topic = resolveTopic(publish);
            if (topic == null || !withinReceiveMaximum(publish.qos())) {
                return;
            }
            Properties properties = publish.properties();
            if (properties.intValue(Property.PAYLOAD_FORMAT_INDICATOR, 0) == 1 && !Utf8.isValid(publish.payload())) {
                // The payload is not the UTF-8 its publisher says it is [MQTT-3.3.2-4]: refused, the client stays.
                refusePublish(publish, ReasonCode.PAYLOAD_FORMAT_INVALID);
                return;
            }
            message = properties.isEmpty()
                    ? new Message(mountPoint() + topic, publish.payload(), publish.qos(), publish.retain(), origin)
                    : new Message(MessageIds.next(), mountPoint() + topic, publish.payload(), publish.qos(), publish.retain(),
                    origin, PublishProperties.expiresAt(properties, System.currentTimeMillis()),
                    PublishProperties.forwarded(properties));
        } else {
            message = new Message(mountPoint() + topic, publish.payload(), publish.qos(), publish.retain(), origin);
        }
        context.stats().publishReceived(publish.qos(), publish.payload().length);
        // MQTT 3.1.1 cannot refuse a PUBLISH: a denied one is acknowledged as usual and dropped.
        // $SYS/ is the broker's own, whatever the ACL says, as in mosquitto.
        boolean allowed = context.bridge()
                || !SysTopics.closedToClients(message.topic()) && origin.mayWrite(message.topic());
        packetLog.publish(allowed ? "Received" : "Denied", clientId(), publish.dup(), publish.qos(), publish.retain(),
                publish.packetId(), message.topic(), publish.payload().length);
        if (!allowed) {
            context.stats().messageDropped(BrokerStats.DropReason.NOT_AUTHORIZED);
        }
        if (!allowed && mqtt5() && publish.qos() > 0) {
            // MQTT 5 can say no: the publisher learns its message went nowhere.
            refusePublish(publish, ReasonCode.NOT_AUTHORIZED);
            return;
        }
        switch (publish.qos()) {
            case 0 -> route(message, allowed);
            case 1 -> {
                if (v5 != null) {
                    v5.matchedNobody = false;
                }
                Commit routed = route(message, allowed);
                // As mosquitto: an MQTT 5 publisher learns that nobody subscribes, at QoS 1 (its QoS 2 PUBREC comes before routing).
                int reason = v5 != null && v5.matchedNobody ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS;
                writeWhenCommitted(routed, ack(PacketType.PUBACK, publish.packetId(), reason));
            }
            default -> {
                Commit stored = allowed ? storeUntilReleased(publish.packetId(), message) : Commit.DONE;
                if (closeReason == null) { // a third copy closes without PUBREC
                    ackWhenCommitted(stored, PacketType.PUBREC, publish.packetId());
                }
            }
        }
    }

    /** An MQTT 5 PUBLISH's topic, through its topic alias if it has one; null if the client was disconnected for it. */
    private String resolveTopic(Publish publish) {
        Properties properties = publish.properties();
        if (properties.has(Property.SUBSCRIPTION_IDENTIFIER)) {
            close(CloseReason.PROTOCOL_ERROR); // only the server sets them [MQTT-3.3.4-6]
            return null;
        }
        int alias = properties.intValue(Property.TOPIC_ALIAS, -1);
        if (alias == -1) {
            return publish.topic();
        }
        if (v5.inboundAliases == null) {
            v5.inboundAliases = new InboundTopicAliases(context.mqtt5().maxTopicAlias());
        }
        switch (v5.inboundAliases.resolve(publish.topic(), alias)) {
            case RESOLVED -> {
                return v5.inboundAliases.resolved();
            }
            case ALIAS_INVALID -> close(CloseReason.PROTOCOL_ERROR, null, ReasonCode.TOPIC_ALIAS_INVALID);
            case ALIAS_UNKNOWN -> close(CloseReason.PROTOCOL_ERROR);
        }
        return null;
    }

    /** Counts a QoS 1 or 2 PUBLISH against our receive maximum; one over it ends the connection [MQTT-3.3.4-9]. */
    private boolean withinReceiveMaximum(int qos) {
        if (qos == 0) {
            return true;
        }
        if (++v5.inboundUnacknowledged > context.mqtt5().receiveMaximum()) {
            close(CloseReason.PROTOCOL_ERROR, null, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            return false;
        }
        return true;
    }

    /** An MQTT 5 PUBLISH not taken: QoS 1 and 2 are answered with the reason, which ends their flow. */
    private void refusePublish(Publish publish, int reasonCode) {
        if (publish.qos() == 1) {
            writeWhenCommitted(Commit.DONE, ack(PacketType.PUBACK, publish.packetId(), reasonCode));
        } else if (publish.qos() == 2) {
            writeWhenCommitted(Commit.DONE, ack(PacketType.PUBREC, publish.packetId(), reasonCode));
        }
    }

    /**
     * Inbound QoS 2 as the spec's method A and mosquitto: the message is kept until PUBREL, and
     * only then routed, so that resends before it are never delivered twice.
     *
     * @return when the stored message is safe, for the PUBREC to wait on
     */
    private Commit storeUntilReleased(int packetId, Message message) {
        InboundQos2Receipt receipt = session.receiveInboundQos2(packetId, message);
        switch (receipt.outcome()) {
            case STORED, REPEATED -> { }
            case REPEATED_TOO_OFTEN -> {
                log.debug("Client {} sent QoS 2 packet identifier {} a third time before PUBREL.", clientId(), packetId);
                close(CloseReason.PROTOCOL_ERROR);
            }
            case REPLACED -> log.warn("Reused message ID {} from {} detected. Clearing from storage.", packetId, clientId());
            case DROPPED -> {
                context.stats().messageDropped(BrokerStats.DropReason.QUEUE_FULL);
                if (!droppingQos2) {
                    droppingQos2 = true;
                    log.warn("Warning: Client {} has too many QoS 2 messages awaiting PUBREL; dropping new ones.", clientId());
                }
            }
        }
        return receipt.commit();
    }

    /** message_size_limit, as mosquitto: the message is dropped but acknowledged, and the client stays. */
    private void onOversizedPublish(OversizedPublish publish) {
        if (!mayPublishWith(publish.qos(), publish.retain())) {
            return;
        }
        packetLog.publish("Dropped too large", clientId(), publish.dup(), publish.qos(), publish.retain(),
                publish.packetId(), mountPoint() + publish.topic(), publish.payloadLength());
        if (mqtt5() && !withinReceiveMaximum(publish.qos())) {
            return;
        }
        int reason = mqtt5() ? ReasonCode.PACKET_TOO_LARGE : ReasonCode.SUCCESS;
        if (publish.qos() == 1) {
            writeWhenCommitted(Commit.DONE, ack(PacketType.PUBACK, publish.packetId(), reason));
        } else if (publish.qos() == 2) {
            writeWhenCommitted(Commit.DONE, ack(PacketType.PUBREC, publish.packetId(), reason));
        }
    }

    /**
     * Messages to $CONTROL/ are addressed to the broker (mosquitto's plugins), never to subscribers.
     *
     * @return when the routed message is safe
     */
    private Commit route(Message message, boolean allowed) {
        if (allowed && !message.topic().startsWith(Topics.CONTROL_PREFIX)) {
            return context.router().publish(message, this);
        }
        return Commit.DONE;
    }

    private void ackWhenCommitted(Commit commit, PacketType type, int packetId) {
        writeWhenCommitted(commit, ack(type, packetId, ReasonCode.SUCCESS));
    }

    /** An acknowledgement in the client's protocol: MQTT 5's carries a reason code. */
    private Ack ack(PacketType type, int packetId, int reasonCode) {
        return mqtt5() ? new Ack(type, packetId, reasonCode, Properties.EMPTY) : new Ack(type, packetId);
    }

    /** In the order packets are made, and not before its commit: the fast path (nothing waiting, already done) writes at once. */
    private void writeWhenCommitted(Commit commit, MqttPacket packet) {
        if ((ordered == null || ordered.isEmpty()) && commit.isDone()) {
            writeNow(packet);
        } else {
            if (ordered == null) {
                ordered = new OrderedWrites(transport.executor(), this::sendCommitted);
            }
            ordered.add(commit, packet);
        }
    }

    private void discardWaitingWrites() {
        if (ordered != null) {
            ordered.discard();
        }
    }

    /** A packet that waited for its commit; the connection may have closed meanwhile. */
    private void sendCommitted(MqttPacket packet) {
        if (state != State.CLOSED) {
            writeNow(packet);
            requestFlush();
        }
    }

    private BrokerStore store() {
        return context.router().store();
    }

    /**
     * Backpressure: stop reading this publisher's socket until the subscriber catches up. TCP then
     * slows the publisher down, so QoS 1 and 2 messages wait in its own window instead of being
     * dropped from a full subscriber queue. The subscriber wakes us ({@link #drained}).
     */
    @Override
    public void holdBackFor(Subscriber congested) {
        if (waitingFor == null && state == State.CONNECTED) {
            waitingFor = congested;
            transport.pauseReading();
            congested.awaitDrain(this);
        }
    }

    @Override
    public void matchedNobody() {
        if (v5 != null) { // only an MQTT 5 PUBACK can say so
            v5.matchedNobody = true;
        }
    }

    @Override
    public EventExecutor loop() {
        return transport.executor();
    }

    @Override
    public void drained(Subscriber subscriber) {
        if (state == State.CONNECTED && waitingFor == subscriber) {
            waitingFor = null;
            processHeldPackets();
        }
    }

    private void onPubRec(Ack pubRec) {
        int packetId = pubRec.packetId();
        if (ReasonCode.isError(pubRec.reasonCode())) {
            onAckOutcome(PacketType.PUBREC, packetId, session.onPubRecRefused(packetId));
            return;
        }
        Session.AckOutcome outcome = session.onPubRec(packetId);
        onAckOutcome(PacketType.PUBREC, packetId, outcome);
        if (outcome != Session.AckOutcome.WRONG_KIND) {
            // The client forgets the packet identifier once it has our PUBREL: had we not stored
            // that its PUBREC came, a restart would send the PUBLISH again, as a new message to it.
            ackWhenCommitted(store().commit(), PacketType.PUBREL, packetId);
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
                    type, clientId(), packetId);
            case WRONG_KIND -> {
                log.debug("Client {} sent {} for packet identifier {}, which awaits another acknowledgement.",
                        clientId(), type, packetId);
                close(CloseReason.PROTOCOL_ERROR);
            }
        }
    }

    /** PUBCOMP is sent for an unknown packet identifier too: it may be a PUBREL repeated after a reconnect. */
    private void onPubRel(int packetId) {
        // Released and routed in one store write: a crash between the two would either lose the
        // message or, once the client repeats its PUBREL, deliver it a second time.
        Commit routed = store().atomically(() -> {
            Message released = session.releaseInboundQos2(packetId);
            return released != null ? route(released, true) : Commit.DONE;
        });
        ackWhenCommitted(routed, PacketType.PUBCOMP, packetId);
    }

    /**
     * acl_file never refuses a subscription, as in mosquitto 2.0: the SUBACK grants what was
     * asked (at most max_qos) and read rules filter each delivery.
     */
    private void onSubscribe(Subscribe subscribe) {
        int subscriptionId = subscribe.properties().has(Property.SUBSCRIPTION_IDENTIFIER)
                ? subscribe.properties().subscriptionIdentifier(0) : 0;
        byte[] codes = new byte[subscribe.subscriptions().size()];
        boolean[] sendRetained = new boolean[codes.length];
        boolean refusedForMemory = false;
        for (int i = 0; i < codes.length; i++) {
            TopicSubscription requested = subscribe.subscriptions().get(i);
            packetLog.filter(requested.filter(), requested.qos());
            boolean shared = SharedFilter.isShare(requested.filter());
            if (mqtt5() && shared && requested.noLocal()) {
                close(CloseReason.PROTOCOL_ERROR); // [MQTT-3.8.3-4]
                return;
            }
            int granted = Math.min(requested.qos(), context.maxQos());
            int options = granted;
            if (bridge) {
                // As mosquitto: what a bridge publishes must not come back to it, and a message
                // published retained must cross it as retained.
                options |= SubscriptionOptions.NO_LOCAL | SubscriptionOptions.RETAIN_AS_PUBLISHED;
            } else if (mqtt5()) {
                options |= (requested.noLocal() ? SubscriptionOptions.NO_LOCAL : 0)
                        | (requested.retainAsPublished() ? SubscriptionOptions.RETAIN_AS_PUBLISHED : 0);
                options = SubscriptionOptions.withSubscriptionId(options, subscriptionId);
            }
            String filter = mountPoint() + requested.filter();
            boolean existed = session.subscriptions().containsKey(filter);
            if (!existed && context.sessions().memory().exhausted()) {
                granted = mqtt5() ? ReasonCode.QUOTA_EXCEEDED : 0x80; // memory_limit: no new subscriptions
                refusedForMemory = true;
            } else if (!context.router().subscribe(session, filter, options)) {
                granted = mqtt5() ? ReasonCode.TOPIC_FILTER_INVALID : 0x80; // an invalid $share/
            }
            subscribeLog.info("{} {} {}", clientId(), granted, requested.filter());
            codes[i] = (byte) granted;
            // Retain handling [MQTT-3.3.1-9..11]: 0 sends retained messages, 1 only to a new subscription, 2 never.
            sendRetained[i] = !ReasonCode.isError(granted)
                    && (!mqtt5() || requested.retainHandling() == 0 || requested.retainHandling() == 1 && !existed);
        }
        if (refusedForMemory) {
            log.info("Client {} subscription refused: memory_limit exceeded.", clientId());
        }
        // The subscription is safe before the SUBACK: what is published after it is then kept for us.
        writeWhenCommitted(store().commit(), mqtt5() ? new SubAck(subscribe.packetId(), codes, Properties.EMPTY)
                : new SubAck(subscribe.packetId(), codes));
        for (int i = 0; i < codes.length; i++) {
            if (sendRetained[i]) {
                context.router().deliverRetained(session, mountPoint() + subscribe.subscriptions().get(i).filter(), codes[i]);
            }
        }
    }

    private void onUnsubscribe(Unsubscribe unsubscribe) {
        byte[] codes = new byte[unsubscribe.filters().size()];
        for (int i = 0; i < codes.length; i++) {
            String filter = unsubscribe.filters().get(i);
            packetLog.filter(filter, -1);
            boolean had = context.router().unsubscribe(session, mountPoint() + filter);
            unsubscribeLog.info("{} {}", clientId(), filter);
            codes[i] = (byte) (had ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        writeWhenCommitted(store().commit(), mqtt5() ? new UnsubAck(unsubscribe.packetId(), codes, Properties.EMPTY)
                : new Ack(PacketType.UNSUBACK, unsubscribe.packetId()));
    }

    private void publishWill() {
        if (will != null) {
            Message lastWill = willAsPublishedNow(will);
            will = null;
            if (!SysTopics.closedToClients(lastWill.topic()) && origin.mayWrite(lastWill.topic())) {
                context.router().publish(lastWill);
            } else {
                log.debug("Denied will of {} on '{}'.", clientId(), lastWill.topic());
            }
        }
    }

    /** A will's message expiry interval counts from when it is published, so it is set then. */
    private Message willAsPublishedNow(Message will) {
        if (v5 == null || v5.willExpirySeconds < 0) {
            return will;
        }
        return new Message(will.id(), will.topic(), will.payload(), will.qos(), will.retain(), will.origin(),
                System.currentTimeMillis() + v5.willExpirySeconds * 1000, will.properties());
    }

    // ---- ClientConnection: called by the session on this loop ----

    @Override
    public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain) {
        write(publishOf(packetId, message, qos, dup, retain));
        context.stats().publishSent(qos, message.payload().length);
        requestFlush();
    }

    @Override
    public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain, Commit after) {
        writeWhenCommitted(after, publishOf(packetId, message, qos, dup, retain));
        context.stats().publishSent(qos, message.payload().length);
        requestFlush();
    }

    private Publish publishOf(int packetId, Message message, int qos, boolean dup, boolean retain) {
        String topic = withoutMountPoint(message.topic());
        if (!mqtt5()) {
            return new Publish(topic, message.payload(), qos, retain, dup, packetId);
        }
        int alias = v5.outboundAliases == null ? 0 : v5.outboundAliases.aliasFor(topic);
        Properties properties = PublishProperties.outgoing(message, session.subscriptionIdsMatching(message.topic()),
                Math.abs(alias), System.currentTimeMillis());
        return new Publish(alias > 0 ? "" : topic, message.payload(), qos, retain, dup, packetId, properties);
    }

    /** Never a packet larger than an MQTT 5 client takes [MQTT-3.1.2-25]: counted as sent, and dropped. */
    @Override
    public boolean accepts(Message message, int qos, boolean retain) {
        if (v5 == null || v5.clientMaximumPacketSize == Integer.MAX_VALUE) {
            return true;
        }
        // Measured without a topic alias, which a PUBLISH may or may not get: never too generous.
        Publish largest = new Publish(withoutMountPoint(message.topic()), message.payload(), qos, retain, false,
                qos > 0 ? 1 : 0, PublishProperties.outgoing(message, session.subscriptionIdsMatching(message.topic()),
                0, System.currentTimeMillis()));
        if (WireSize.of(largest) <= v5.clientMaximumPacketSize) {
            return true;
        }
        log.debug("Dropped a message on '{}' for {}: larger than its maximum packet size ({}).", message.topic(),
                clientId(), v5.clientMaximumPacketSize);
        return false;
    }

    @Override
    public void sendPubRel(int packetId) {
        write(new Ack(PacketType.PUBREL, packetId));
        requestFlush();
    }

    @Override
    public boolean isWritable() {
        return transport.isWritable();
    }

    /**
     * Lets go of the session at once: from here on another loop owns it, so nothing scheduled on
     * this connection (held packets, a backpressure wakeup, acks awaiting their commit) may touch it again.
     */
    @Override
    public void closeTakenOver(boolean successorCleanSession) {
        if (state == State.CONNECTED) {
            context.stats().clientDisconnected();
            if (cleanSession || successorCleanSession) {
                publishWill();
            }
            if (context.connectionMessages()) {
                log.info("Client {} already connected, closing old connection.", clientId());
            }
            if (mqtt5()) {
                write(new Disconnect(ReasonCode.SESSION_TAKEN_OVER, Properties.EMPTY));
            }
        }
        will = null;
        session = null;
        waitingFor = null;
        held = null;
        discardWaitingWrites();
        closeReason = CloseReason.TAKEN_OVER;
        if (state != State.CLOSED) {
            state = State.CLOSED;
            transport.close();
        }
    }

    @Override
    public void recheckCredentials() {
        if (state != State.CONNECTED || context.usernameFromCertificate()) {
            return;
        }
        if (context.authenticator().authenticate(clientId(), origin.username(), password) != Authenticator.Result.ACCEPTED) {
            will = null;
            close(CloseReason.DISCONNECTED, null, ReasonCode.NOT_AUTHORIZED);
        }
    }

    @Override
    public void closeOutOfMemory() {
        close(CloseReason.OUT_OF_MEMORY);
    }

    @Override
    public void closeByAdministrator() {
        if (state == State.CONNECTED) {
            will = null;
            close(CloseReason.ADMINISTRATIVE);
        }
    }

    @Override
    public ClientInfo info() {
        if (origin == null) {
            return ClientInfo.UNKNOWN;
        }
        String protocol = mqtt5() ? "MQTT 5.0" : protocolLevel == Connect.LEVEL_MQTT_3_1 ? "MQTT 3.1" : "MQTT 3.1.1";
        return new ClientInfo(transport.remoteAddress(), protocol, origin.username(), keepAliveSeconds, bridge);
    }

    // ---- helpers ----

    /** Every packet goes out in the order it was made: behind any that waits for its commit. */
    private void write(MqttPacket packet) {
        writeWhenCommitted(Commit.DONE, packet);
    }

    private void writeNow(MqttPacket packet) {
        if (v5 != null && v5.inboundUnacknowledged > 0 && packet instanceof Ack ack && endsInboundFlow(ack)) {
            v5.inboundUnacknowledged--;
        }
        // A bridge's CONNACK only tells its link that the session is attached; nothing is sent.
        if (packet.type() != PacketType.CONNACK || !context.bridge()) {
            packetLog.sent(clientId() != null ? clientId() : transport.remoteHost(), packet);
        }
        transport.write(packet);
    }

    /** Whether sending this acknowledgement completes a QoS 1 or 2 PUBLISH from the client (receive maximum). */
    private static boolean endsInboundFlow(Ack ack) {
        return ack.type() == PacketType.PUBACK || ack.type() == PacketType.PUBCOMP
                || ack.type() == PacketType.PUBREC && ReasonCode.isError(ack.reasonCode());
    }

    /** Writes from other loops' deliveries are flushed once, after the current batch of tasks. */
    private void requestFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            if (flushTask == null) {
                flushTask = this::runScheduledFlush;
            }
            transport.executor().execute(flushTask);
        }
    }

    private void runScheduledFlush() {
        flushScheduled = false;
        transport.flush();
    }

    /** Whether the client speaks MQTT 5, as its CONNECT said. */
    private boolean mqtt5() {
        return v5 != null;
    }

    /** The accepted client's id; null until CONNECT is accepted. */
    private String clientId() {
        return origin == null ? null : origin.clientId();
    }

    private String mountPoint() {
        return context.mountPoint();
    }

    /** Subscriptions through a mount point only match topics under it, so the prefix is always there to strip. */
    private String withoutMountPoint(String topic) {
        return mountPoint().isEmpty() ? topic : topic.substring(mountPoint().length());
    }
}
