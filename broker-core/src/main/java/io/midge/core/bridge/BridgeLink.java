package io.midge.core.bridge;

import io.midge.core.message.Message;
import io.midge.core.message.Origin;
import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Empty;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.SubAck;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.midge.core.packet.MqttPacket.Unsubscribe;
import io.midge.core.packet.PacketType;
import io.midge.core.protocol.ClientProtocol;
import io.midge.core.protocol.ConnectVerdict;
import io.midge.core.protocol.ProtocolContext;
import io.midge.core.protocol.Transport;
import io.midge.core.session.Session;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One connection of a bridge to its remote broker, as mosquitto runs it: the bridge is a client
 * of the remote (CONNECT, SUBSCRIBE to the {@code in} topics, keep alive) and, on this broker, a
 * client session like any other, driven by a {@link ClientProtocol}. Once the remote accepts,
 * the link connects that session (so its queue, in-flight window, QoS 2 state and persistence
 * are those of every session), subscribes it to the {@code out} topics with no local and retain
 * as published, and from then on sits between the two: the session's PUBLISHes go out under
 * their remote names, the remote's come in under their local names, and acknowledgements pass
 * through both ways, since the flows are the same whichever side is the server.
 *
 * <p>Runs on the remote connection's event loop, which also owns the local session while connected.
 */
public final class BridgeLink implements Transport {

    private static final Logger log = LoggerFactory.getLogger("midge");
    private static final byte[] CONNECTED = {'1'};
    private static final byte[] DISCONNECTED = {'0'};

    /** What the link tells the connector that runs it, on the link's loop. */
    public interface Events {
        /** The remote broker accepted the bridge. */
        void accepted();

        /** The remote broker refused the bridge with this CONNACK return code. */
        void refused(int returnCode);
    }

    private enum State { AWAIT_CONNACK, UP, CLOSED }

    private final BridgeSettings settings;
    private final ProtocolContext local;
    private final Transport remote;
    private final boolean announceAsBridge;
    private final Events events;
    private final ClientProtocol protocol;
    private State state = State.AWAIT_CONNACK;
    /** The local session once attached; owned by this loop until the link closes. */
    private Session session;
    private boolean announcedUp;
    private boolean pingOutstanding;
    private long pingSentNanos;
    private final LongSupplier nanoClock;
    /** Packet identifiers of the link's own packets awaiting their acknowledgement, and what they were. */
    private final Map<Integer, String> awaitingAck = new HashMap<>();
    /** When a message last crossed the link, for idle_timeout. */
    private long lastMessageNanos;
    private String closeLine;

    /**
     * @param local            the bridge's context on this broker (no mount point, no ACL, see {@link ProtocolContext#bridge()})
     * @param remote           the connection to the remote broker, already open
     * @param announceAsBridge send the protocol level with bit 0x80 (try_private, unless the remote refused it before)
     */
    public BridgeLink(BridgeSettings settings, ProtocolContext local, Transport remote, boolean announceAsBridge,
                      Events events) {
        this(settings, local, remote, announceAsBridge, events, System::nanoTime);
    }

    /** @param nanoClock {@link System#nanoTime()}, or a test's clock */
    BridgeLink(BridgeSettings settings, ProtocolContext local, Transport remote, boolean announceAsBridge,
               Events events, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.lastMessageNanos = nanoClock.getAsLong();
        this.settings = settings;
        this.local = local;
        this.remote = remote;
        this.announceAsBridge = announceAsBridge;
        this.events = events;
        this.protocol = new ClientProtocol(local,
                connect -> ConnectVerdict.accept(settings.localClientId(), settings.localUsername()), this);
    }

    /** The connection to the remote is open: CONNECT, with the state notification "0" as the will. */
    public void start() {
        MqttPacket.Will will = settings.notifications() && !settings.notificationsLocalOnly()
                ? new MqttPacket.Will(settings.notificationTopic(), DISCONNECTED, 1, true) : null;
        String protocolName = settings.protocolLevel() == Connect.LEVEL_MQTT_3_1 ? Connect.PROTOCOL_MQISDP : Connect.PROTOCOL_MQTT;
        log.debug("Bridge {} sending CONNECT", settings.remoteClientId());
        remote.write(new Connect(protocolName, settings.protocolLevel(), settings.cleanSession(), settings.keepAliveSeconds(),
                settings.remoteClientId(), will, settings.remoteUsername(), settings.remotePassword(), announceAsBridge));
        remote.flush();
    }

    // ---- from the remote broker ----

    /** A packet from the remote broker. */
    public void received(MqttPacket packet) {
        switch (state) {
            case AWAIT_CONNACK -> {
                if (packet instanceof ConnAck connAck) {
                    onConnAck(connAck);
                } else {
                    closeWith("Bridge " + settings.name() + ": the remote broker sent " + packet.type()
                            + " before CONNACK, disconnecting.");
                }
            }
            case UP -> onPacket(packet);
            case CLOSED -> { }
        }
    }

    private void onConnAck(ConnAck connAck) {
        if (connAck.returnCode() != 0) {
            log.error("Connection Refused: {}", refusal(connAck.returnCode()));
            events.refused(connAck.returnCode());
            closeWith(null);
            return;
        }
        log.debug("Received CONNACK on connection {}.", settings.localClientId());
        state = State.UP;
        events.accepted();
        // The session is attached like any client's; onLocalAttached runs when its CONNACK comes back to us.
        protocol.received(new Connect(Connect.PROTOCOL_MQTT, Connect.LEVEL_MQTT_3_1_1, settings.localCleanSession(), 0,
                settings.localClientId(), null, settings.localUsername(), null));
    }

    /** mosquitto's words for CONNACK return codes. */
    private static String refusal(int returnCode) {
        return switch (returnCode) {
            case 1 -> "unacceptable protocol version";
            case 2 -> "identifier rejected";
            case 3 -> "broker unavailable";
            case 4 -> "bad user name or password";
            case 5 -> "not authorised";
            default -> "unknown reason";
        };
    }

    private void onPacket(MqttPacket packet) {
        switch (packet.type()) {
            case PUBLISH -> {
                lastMessageNanos = nanoClock.getAsLong();
                protocol.received(packet instanceof Publish publish ? underLocalName(publish) : packet);
            }
            case PUBACK -> {
                if (!ownPacketAcknowledged(((Ack) packet).packetId())) {
                    protocol.received(packet);
                }
            }
            case PUBREC, PUBREL, PUBCOMP -> protocol.received(packet);
            case SUBACK -> onSubAck((SubAck) packet);
            case UNSUBACK -> {
                log.debug("Received UNSUBACK from {}", settings.localClientId());
                ownPacketAcknowledged(((Ack) packet).packetId());
            }
            case PINGRESP -> {
                log.debug("Received PINGRESP from {}", settings.localClientId());
                pingOutstanding = false;
            }
            default -> closeWith("Bridge " + settings.name() + ": the remote broker sent an unexpected "
                    + packet.type() + ", disconnecting.");
        }
    }

    private Publish underLocalName(Publish publish) {
        String topic = settings.toLocal(publish.topic());
        return topic.equals(publish.topic()) ? publish
                : new Publish(topic, publish.payload(), publish.qos(), publish.retain(), publish.dup(), publish.packetId());
    }

    private void onSubAck(SubAck subAck) {
        log.debug("Received SUBACK from {}", settings.localClientId());
        String filter = awaitingAck.get(subAck.packetId());
        if (ownPacketAcknowledged(subAck.packetId()) && refusedAny(subAck.returnCodes())) {
            log.warn("Warning: Bridge {}: the remote broker refused the subscription to {}.", settings.name(), filter);
        }
    }

    private static boolean refusedAny(byte[] returnCodes) {
        for (byte code : returnCodes) {
            if ((code & 0xFF) == 0x80) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the packet identifier was one of the link's own packets */
    private boolean ownPacketAcknowledged(int packetId) {
        if (awaitingAck.remove(packetId) == null) {
            return false;
        }
        if (session != null) {
            session.releasePacketId(packetId);
        }
        return true;
    }

    /**
     * Nothing was sent, or nothing received, for the keep alive interval (mosquitto pings on
     * either): PINGREQ, or, if the last one has gone unanswered for an interval, give up.
     */
    public void keepAliveDue() {
        if (state == State.CLOSED) {
            return;
        }
        if (pingOutstanding) {
            // Both directions falling idle together call twice at once: only a whole interval without PINGRESP counts.
            if (nanoClock.getAsLong() - pingSentNanos >= TimeUnit.SECONDS.toNanos(settings.keepAliveSeconds())) {
                closeWith("Bridge " + settings.name() + " has exceeded its keep alive timeout, disconnecting.");
            }
            return;
        }
        pingOutstanding = true;
        pingSentNanos = nanoClock.getAsLong();
        log.debug("Sending PINGREQ to {}", settings.localClientId());
        remote.write(Empty.PINGREQ);
        remote.flush();
    }

    /** The connection to the remote has room again. */
    public void writable() {
        protocol.writable();
    }

    /** When a message last crossed the link, in the clock's ({@link System#nanoTime()}) terms. */
    public long lastMessageNanos() {
        return lastMessageNanos;
    }

    /** Whether the remote broker accepted the bridge and the link still runs. */
    public boolean isUp() {
        return state == State.UP;
    }

    /** Closes the connection; {@code line}, if not null, is logged once it is closed. */
    public void closeWith(String line) {
        if (closeLine == null) {
            closeLine = line;
        }
        remote.close();
    }

    /**
     * The connection to the remote closed: the local session is disconnected as a client's is (a
     * persistent one keeps queueing for the remote), and the state becomes "0" here; the remote
     * publishes our will.
     *
     * @param defaultLine what to log if nothing more precise was decided
     */
    public void closed(String defaultLine) {
        State previous = state;
        state = State.CLOSED;
        if (session != null && session.owner().inEventLoop()) {
            awaitingAck.keySet().forEach(session::releasePacketId);
        }
        awaitingAck.clear();
        // The local side's reason (a protocol error in what the remote sent, say) is mosquitto's line for it.
        String protocolLine = protocol.closeLine();
        protocol.closed();
        String line = closeLine != null ? closeLine : protocolLine != null ? protocolLine : defaultLine;
        if (line != null) {
            log.info(line);
        }
        if (previous == State.UP && announcedUp) {
            publishState(settings, local, false);
        }
    }

    // ---- the local session, once attached ----

    /**
     * As mosquitto on CONNACK: the state notification, then SUBSCRIBE to every {@code in} topic and
     * (bridge_attempt_unsubscribe) UNSUBSCRIBE from every {@code out} one, which an earlier
     * configuration may have brought in.
     */
    private void onLocalAttached() {
        session = local.sessions().get(settings.localClientId());
        if (session == null || !session.owner().inEventLoop()) {
            closeWith(null); // taken over by a client with the bridge's local id: it wins, as any takeover
            return;
        }
        BridgeSubscriptions.apply(settings, local.router(), session);
        if (settings.notifications()) {
            publishState(settings, local, true);
            announcedUp = true;
            if (!settings.notificationsLocalOnly()) {
                int packetId = reserve(settings.notificationTopic());
                remote.write(new Publish(settings.notificationTopic(), CONNECTED, 1, true, false, packetId));
            }
        }
        for (BridgeTopicRule rule : settings.topics()) {
            if (rule.bringsIn()) {
                int packetId = reserve(rule.remoteFilter());
                log.debug("Bridge {} sending SUBSCRIBE (Mid: {}, Topic: {}, QoS: {}, Options: 0x00)",
                        settings.localClientId(), packetId, rule.remoteFilter(), rule.qos());
                remote.write(new Subscribe(packetId, List.of(new TopicSubscription(rule.remoteFilter(), rule.qos()))));
            } else if (settings.attemptUnsubscribe()) {
                int packetId = reserve(rule.remoteFilter());
                log.debug("Bridge {} sending UNSUBSCRIBE (Mid: {}, Topic: {})", settings.localClientId(), packetId,
                        rule.remoteFilter());
                remote.write(new Unsubscribe(packetId, List.of(rule.remoteFilter())));
            }
        }
        remote.flush();
    }

    private int reserve(String what) {
        int packetId = session.reservePacketId();
        awaitingAck.put(packetId, what);
        return packetId;
    }

    /** The bridge's state on this broker: "1" or "0", retained, as the bridge's own client publishes it. */
    public static void publishState(BridgeSettings settings, ProtocolContext local, boolean connected) {
        Origin origin = new Origin(settings.localClientId(), settings.localUsername(), local.authorizer());
        local.router().publish(new Message(settings.notificationTopic(), connected ? CONNECTED : DISCONNECTED, 1, true, origin));
    }

    // ---- Transport, as the local session's protocol sees it ----

    @Override
    public void write(MqttPacket packet) {
        if (packet instanceof Publish publish) {
            lastMessageNanos = nanoClock.getAsLong();
            boolean retain = publish.retain() && settings.outgoingRetain();
            remote.write(new Publish(settings.toRemote(publish.topic()), publish.payload(), publish.qos(), retain,
                    publish.dup(), publish.packetId()));
        } else if (packet.type() == PacketType.CONNACK) {
            onLocalAttached(); // the local session is ours: this CONNACK is not for the remote
        } else if (state != State.CLOSED) {
            remote.write(packet);
        }
    }

    @Override
    public void flush() {
        remote.flush();
    }

    @Override
    public void close() {
        remote.close();
    }

    @Override
    public void pauseReading() {
        remote.pauseReading();
    }

    @Override
    public void resumeReading() {
        remote.resumeReading();
    }

    @Override
    public boolean isWritable() {
        return remote.isWritable();
    }

    @Override
    public EventExecutor executor() {
        return remote.executor();
    }

    @Override
    public String remoteAddress() {
        return remote.remoteAddress();
    }

    @Override
    public String remoteHost() {
        return remote.remoteHost();
    }
}
