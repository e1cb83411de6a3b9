package io.midge.core.protocol;

import io.midge.core.auth.Authenticator;
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
import io.midge.core.packet.PacketType;
import io.midge.core.route.DrainWaiter;
import io.midge.core.route.Publisher;
import io.midge.core.route.Subscriber;
import io.midge.core.session.ClientConnection;
import io.midge.core.session.InboundQos2Receipt;
import io.midge.core.session.Session;
import io.midge.core.session.SessionRegistry;
import io.midge.core.store.BrokerStore;
import io.midge.core.store.Commit;
import io.midge.core.sys.SysTopics;
import io.midge.core.topic.SubscriptionOptions;
import io.midge.core.topic.Topics;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * One client's MQTT 3.1/3.1.1 protocol state machine, between its {@link Transport} and its
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

    private enum State { AWAIT_CONNECT, ATTACHING, CONNECTED, CLOSED }

    private final ProtocolContext context;
    private final ConnectPolicy connectPolicy;
    private final Transport transport;
    private final String mountPoint;
    /** Packets waiting for their commit, and those made after them; null until one has to wait, as in memory none ever does. */
    private OrderedWrites ordered;
    private State state = State.AWAIT_CONNECT;
    private String clientId;
    /** Kept for SIGHUP, when mosquitto checks connected clients against the reloaded password file. */
    private byte[] password;
    /** The accepted client's id, user name and rules; null until CONNECT is accepted. */
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

    private final Runnable flushTask = this::runScheduledFlush;

    public ClientProtocol(ProtocolContext context, ConnectPolicy connectPolicy, Transport transport) {
        this.context = context;
        this.connectPolicy = connectPolicy;
        this.transport = transport;
        this.mountPoint = context.mountPoint();
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
        return state == State.AWAIT_CONNECT;
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
            publishWill();
            context.sessions().disconnected(session, this);
        }
    }

    public void close(CloseReason reason) {
        close(reason, null);
    }

    /** Closes for {@code reason}; the first reason given is the one the disconnect line states. */
    public void close(CloseReason reason, String detail) {
        if (closeReason == null) {
            closeReason = reason;
            closeDetail = detail;
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
        if (clientId != null) {
            return clientId;
        }
        return refusedAs != null ? refusedAs : UNKNOWN_CLIENT;
    }

    // ---- CONNECT ----

    private void onConnect(Connect connect) {
        ConnectVerdict verdict = connectPolicy.check(connect);
        if (!verdict.accepted()) {
            refuse(connect, verdict);
            return;
        }
        this.clientId = verdict.clientId();
        this.password = connect.password();
        this.origin = new Origin(clientId, verdict.username(), context.authorizer());
        this.cleanSession = connect.cleanSession();
        this.will = willOf(connect);
        state = State.ATTACHING;
        transport.pauseReading();
        context.sessions().connect(clientId, connect.cleanSession(), transport.executor(), this,
                attached -> onAttached(connect, attached));
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
            write(new ConnAck(false, verdict.refusalCode()));
        }
        refusedAs = verdict.logName();
        close(verdict.closeReason(), verdict.closeDetail());
    }

    private Message willOf(Connect connect) {
        MqttPacket.Will w = connect.will();
        return w == null ? null : new Message(mountPoint + w.topic(), w.payload(), w.qos(), w.retain(), origin);
    }

    private void onAttached(Connect connect, SessionRegistry.Attached attached) {
        if (state != State.ATTACHING) {
            // The socket closed while the session was on its way: hand it straight back.
            context.sessions().disconnected(attached.session(), this);
            return;
        }
        session = attached.session();
        session.authorize(origin.username(), context.authorizer());
        state = State.CONNECTED;
        context.stats().clientConnected();
        boolean mqtt31 = connect.protocolLevel() == Connect.LEVEL_MQTT_3_1;
        bridge = connect.bridge();
        if (context.connectionMessages()) {
            // mosquitto numbers the protocols p1 (3.1) and p2 (3.1.1).
            log.info("New {} connected from {} as {} (p{}, c{}, k{}{}).", bridge ? "bridge" : "client",
                    transport.remoteAddress(), clientId,
                    mqtt31 ? 1 : 2, connect.cleanSession() ? 1 : 0, connect.keepAliveSeconds(),
                    origin.username() == null ? "" : ", u'" + origin.username() + "'");
        }
        if (!context.bridge()) {
            packetLog.will(will); // a bridge's local side has no will, and mosquitto says nothing of it
        }
        // A persistent session is on disk before its client hears of it (and the will with it).
        session.connected(will);
        // MQTT 3.1's CONNACK has no session present flag: its first byte is reserved.
        writeWhenCommitted(store().commit(), new ConnAck(attached.sessionPresent() && !mqtt31, 0));
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
        transport.flush();
        if (state == State.CONNECTED && waitingFor == null) {
            transport.resumeReading();
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
        if (qos > context.maxQos()) {
            log.info("Too high QoS in PUBLISH from {}, disconnecting.", clientId);
            close(CloseReason.BAD_SOCKET, CloseReason.QOS_NOT_SUPPORTED);
            return false;
        }
        if (retain && !context.retainAvailable()) {
            close(CloseReason.NOT_SUPPORTED);
            return false;
        }
        return true;
    }

    private void onPublish(Publish publish) {
        if (!mayPublishWith(publish.qos(), publish.retain())) {
            return;
        }
        context.stats().publishReceived(publish.payload().length);
        Message message = new Message(mountPoint + publish.topic(), publish.payload(), publish.qos(), publish.retain(), origin);
        // MQTT 3.1.1 cannot refuse a PUBLISH: a denied one is acknowledged as usual and dropped.
        // $SYS/ is the broker's own, whatever the ACL says, as in mosquitto.
        boolean allowed = context.bridge()
                || !SysTopics.closedToClients(message.topic()) && origin.mayWrite(message.topic());
        packetLog.publish(allowed ? "Received" : "Denied", clientId, publish.dup(), publish.qos(), publish.retain(),
                publish.packetId(), message.topic(), publish.payload().length);
        switch (publish.qos()) {
            case 0 -> route(message, allowed);
            case 1 -> ackWhenCommitted(route(message, allowed), PacketType.PUBACK, publish.packetId());
            default -> {
                Commit stored = allowed ? storeUntilReleased(publish.packetId(), message) : Commit.DONE;
                if (closeReason == null) { // a third copy closes without PUBREC
                    ackWhenCommitted(stored, PacketType.PUBREC, publish.packetId());
                }
            }
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
                log.debug("Client {} sent QoS 2 packet identifier {} a third time before PUBREL.", clientId, packetId);
                close(CloseReason.PROTOCOL_ERROR);
            }
            case REPLACED -> log.warn("Reused message ID {} from {} detected. Clearing from storage.", packetId, clientId);
            case DROPPED -> {
                context.stats().messageDropped();
                if (!droppingQos2) {
                    droppingQos2 = true;
                    log.warn("Warning: Client {} has too many QoS 2 messages awaiting PUBREL; dropping new ones.", clientId);
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
        packetLog.publish("Dropped too large", clientId, publish.dup(), publish.qos(), publish.retain(),
                publish.packetId(), mountPoint + publish.topic(), publish.payloadLength());
        if (publish.qos() == 1) {
            ackWhenCommitted(Commit.DONE, PacketType.PUBACK, publish.packetId());
        } else if (publish.qos() == 2) {
            ackWhenCommitted(Commit.DONE, PacketType.PUBREC, publish.packetId());
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
        writeWhenCommitted(commit, new Ack(type, packetId));
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

    private void onPubRec(int packetId) {
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
        byte[] codes = new byte[subscribe.subscriptions().size()];
        for (int i = 0; i < codes.length; i++) {
            TopicSubscription requested = subscribe.subscriptions().get(i);
            packetLog.filter(requested.filter(), requested.qos());
            int granted = Math.min(requested.qos(), context.maxQos());
            // As mosquitto: what a bridge publishes must not come back to it, and a message
            // published retained must cross it as retained.
            int options = bridge ? granted | SubscriptionOptions.NO_LOCAL | SubscriptionOptions.RETAIN_AS_PUBLISHED : granted;
            if (!context.router().subscribe(session, mountPoint + requested.filter(), options)) { granted = 0x80; } // an invalid $share/
            subscribeLog.info("{} {} {}", clientId, granted, requested.filter());
            codes[i] = (byte) granted;
        }
        // The subscription is safe before the SUBACK: what is published after it is then kept for us.
        writeWhenCommitted(store().commit(), new SubAck(subscribe.packetId(), codes));
        for (int i = 0; i < codes.length; i++) {
            context.router().deliverRetained(session, mountPoint + subscribe.subscriptions().get(i).filter(), codes[i]);
        }
    }

    private void onUnsubscribe(Unsubscribe unsubscribe) {
        for (String filter : unsubscribe.filters()) {
            packetLog.filter(filter, -1);
            context.router().unsubscribe(session, mountPoint + filter);
            unsubscribeLog.info("{} {}", clientId, filter);
        }
        writeWhenCommitted(store().commit(), new Ack(PacketType.UNSUBACK, unsubscribe.packetId()));
    }

    private void publishWill() {
        if (will != null) {
            Message lastWill = will;
            will = null;
            if (!SysTopics.closedToClients(lastWill.topic()) && origin.mayWrite(lastWill.topic())) {
                context.router().publish(lastWill);
            } else {
                log.debug("Denied will of {} on '{}'.", clientId, lastWill.topic());
            }
        }
    }

    // ---- ClientConnection: called by the session on this loop ----

    @Override
    public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain) {
        write(new Publish(withoutMountPoint(message.topic()), message.payload(), qos, retain, dup, packetId));
        context.stats().publishSent(message.payload().length);
        requestFlush();
    }

    @Override
    public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain, Commit after) {
        writeWhenCommitted(after, new Publish(withoutMountPoint(message.topic()), message.payload(), qos, retain, dup, packetId));
        context.stats().publishSent(message.payload().length);
        requestFlush();
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
                log.info("Client {} already connected, closing old connection.", clientId);
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
        if (context.authenticator().authenticate(clientId, origin.username(), password) != Authenticator.Result.ACCEPTED) {
            will = null;
            close(CloseReason.DISCONNECTED);
        }
    }

    // ---- helpers ----

    /** Every packet goes out in the order it was made: behind any that waits for its commit. */
    private void write(MqttPacket packet) {
        writeWhenCommitted(Commit.DONE, packet);
    }

    private void writeNow(MqttPacket packet) {
        // A bridge's CONNACK only tells its link that the session is attached; nothing is sent.
        if (packet.type() != PacketType.CONNACK || !context.bridge()) {
            packetLog.sent(clientId != null ? clientId : transport.remoteHost(), packet);
        }
        transport.write(packet);
    }

    /** Writes from other loops' deliveries are flushed once, after the current batch of tasks. */
    private void requestFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            transport.executor().execute(flushTask);
        }
    }

    private void runScheduledFlush() {
        flushScheduled = false;
        transport.flush();
    }

    /** Subscriptions through a mount point only match topics under it, so the prefix is always there to strip. */
    private String withoutMountPoint(String topic) {
        return mountPoint.isEmpty() ? topic : topic.substring(mountPoint.length());
    }
}
