package io.midge.core.bridge;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.auth.AnonymousOnlyAuthenticator;
import io.midge.core.auth.Authenticator;
import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.SubAck;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.midge.core.packet.MqttPacket.Unsubscribe;
import io.midge.core.packet.PacketType;
import io.midge.core.protocol.ClientProtocol;
import io.midge.core.protocol.ConnectVerdict;
import io.midge.core.protocol.ProtocolContext;
import io.midge.core.protocol.RecordingTransport;
import io.midge.core.route.MemoryRetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.core.sys.BrokerStats;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bridge's link against the real router and sessions, with recording transports for the remote and a local client. */
class BridgeLinkTest {

    private static final String STATE = "$SYS/broker/connection/host.cloud/state";

    private final Router router = new Router(new MemoryRetainedStore(), true);
    private final SessionRegistry sessions = new SessionRegistry(SessionLimits.DEFAULTS, router::discardSubscriptions,
            java.time.Clock.systemUTC());
    private final BrokerStats stats = new BrokerStats();
    private final ProtocolContext clients = new ProtocolContext(router, sessions, stats, "", 2, true, false,
            new AnonymousOnlyAuthenticator(true), AllowAllAuthorizer.INSTANCE, false);
    private final Authenticator trusted = (id, user, password) -> Authenticator.Result.ACCEPTED;
    private final ProtocolContext bridgeContext = new ProtocolContext(router, sessions, stats, "", 2, true, false,
            trusted, AllowAllAuthorizer.INSTANCE, false, true);
    private final RecordingTransport remote = new RecordingTransport(ImmediateEventExecutor.INSTANCE);
    private final List<String> events = new ArrayList<>();
    private long now = 1_000_000_000L;

    static BridgeSettings settings(List<BridgeTopicRule> topics) {
        return new BridgeSettings("cloud", "host.cloud", "user", "secret".getBytes(StandardCharsets.UTF_8), false, 60, 4,
                true, "local.host.cloud", null, false, topics, STATE, false, true, true);
    }

    private static final List<BridgeTopicRule> HOME_TO_CLOUD = List.of(
            new BridgeTopicRule("sensors/#", BridgeTopicRule.Direction.OUT, 1, "home/", "cloud/"),
            new BridgeTopicRule("cmd/#", BridgeTopicRule.Direction.IN, 2, "home/", "cloud/"),
            new BridgeTopicRule("both/#", BridgeTopicRule.Direction.BOTH, 1, "", ""));

    private BridgeLink link(BridgeSettings settings) {
        BridgeLink link = new BridgeLink(settings, bridgeContext, remote, true, new BridgeLink.Events() {
            @Override
            public void accepted() {
                events.add("accepted");
            }

            @Override
            public void refused(int returnCode) {
                events.add("refused " + returnCode);
            }
        }, () -> now);
        link.start();
        return link;
    }

    private BridgeLink connectedLink(BridgeSettings settings) {
        BridgeLink link = link(settings);
        remote.take();
        link.received(new ConnAck(false, 0));
        return link;
    }

    /** A client of this broker. */
    private final class Client {
        final RecordingTransport transport = new RecordingTransport(ImmediateEventExecutor.INSTANCE);
        final ClientProtocol protocol = new ClientProtocol(clients,
                connect -> ConnectVerdict.accept(connect.clientId(), connect.username()), transport);

        Client(String id) {
            protocol.received(new Connect("MQTT", 4, true, 60, id, null, null, null));
            transport.take();
        }

        Client subscribe(String filter, int qos) {
            protocol.received(new Subscribe(1, List.of(new TopicSubscription(filter, qos))));
            transport.take();
            return this;
        }

        void publish(String topic, String payload, int qos, boolean retain) {
            protocol.received(new Publish(topic, bytes(payload), qos, retain, false, qos == 0 ? 0 : 9));
        }

        List<String> received() {
            return describe(transport.take());
        }
    }

    @Test
    void connectsAsABridgeWithTheStateAsItsWill() {
        link(settings(HOME_TO_CLOUD));
        Connect connect = (Connect) remote.take().get(0);
        assertEquals(0x84, connect.wireLevel(), "try_private: protocol level with bit 0x80");
        assertTrue(connect.bridge());
        assertEquals("host.cloud", connect.clientId());
        assertFalse(connect.cleanSession());
        assertEquals(60, connect.keepAliveSeconds());
        assertEquals("user", connect.username());
        assertEquals(STATE, connect.will().topic());
        assertEquals("0", new String(connect.will().payload(), StandardCharsets.UTF_8));
        assertTrue(connect.will().retain());
        assertEquals(1, connect.will().qos());
    }

    @Test
    void onConnAckItAnnouncesItselfAndSubscribesAsMosquittoDoes() {
        Client watcher = new Client("watcher").subscribe("$SYS/broker/connection/#", 1);
        connectedLink(settings(HOME_TO_CLOUD));
        List<MqttPacket> sent = remote.take();
        assertEquals(List.of("PUBLISH " + STATE + " q1 r1 1", "UNSUBSCRIBE cloud/sensors/#",
                "SUBSCRIBE cloud/cmd/# q2", "SUBSCRIBE both/# q1"), describe(sent));
        assertEquals(List.of("accepted"), events);
        assertEquals(List.of("PUBLISH " + STATE + " q1 r0 1"), describe(watcher.transport.take()));
        assertEquals("1", retainedPayload(STATE), "the state is retained locally");
    }

    @Test
    void localMessagesGoOutUnderTheirRemoteNames() {
        connectedLink(settings(HOME_TO_CLOUD));
        remote.take();
        new Client("sensor").publish("home/sensors/kitchen", "21", 1, false);
        List<MqttPacket> sent = remote.take();
        assertEquals(List.of("PUBLISH cloud/sensors/kitchen q1 r0 21"), describe(sent));
    }

    @Test
    void remoteMessagesComeInUnderTheirLocalNamesAndAreAcknowledged() {
        Client lamp = new Client("lamp").subscribe("home/cmd/#", 2);
        BridgeLink link = connectedLink(settings(HOME_TO_CLOUD));
        remote.take();
        link.received(new Publish("cloud/cmd/lamp", bytes("on"), 1, false, false, 7));
        assertEquals(List.of("PUBACK 7"), describe(remote.take()));
        assertEquals(List.of("PUBLISH home/cmd/lamp q1 r0 on"), describe(lamp.transport.take()));
    }

    @Test
    void ownPacketIdentifiersNeverCollideWithForwardedMessages() {
        BridgeLink link = connectedLink(settings(HOME_TO_CLOUD));
        List<Integer> own = new ArrayList<>();
        for (MqttPacket packet : remote.take()) {
            own.add(packetId(packet));
        }
        Client sensor = new Client("sensor");
        for (int i = 0; i < 10; i++) {
            sensor.publish("home/sensors/t", "v" + i, 1, false);
        }
        for (MqttPacket packet : remote.take()) {
            assertFalse(own.contains(packetId(packet)), "forwarded under an identifier the link holds: " + packet);
        }
        // The PUBACK of the state notification is the link's, not the session's.
        link.received(new Ack(PacketType.PUBACK, own.get(0)));
        assertEquals(10, sessions.get("local.host.cloud").inflightCount() + sessions.get("local.host.cloud").queuedCount());
    }

    @Test
    void retainIsClearedOnTheWayOutWithoutOutgoingRetain() {
        BridgeSettings base = settings(HOME_TO_CLOUD);
        BridgeSettings noRetain = new BridgeSettings(base.name(), base.remoteClientId(), null, null, false, 60, 4, true,
                base.localClientId(), null, false, HOME_TO_CLOUD, null, false, false, true);
        connectedLink(noRetain);
        remote.take();
        new Client("sensor").publish("home/sensors/t", "1", 1, true);
        assertEquals(List.of("PUBLISH cloud/sensors/t q1 r0 1"), describe(remote.take()));
    }

    @Test
    void aRefusalIsReportedAndCloses() {
        BridgeLink link = link(settings(HOME_TO_CLOUD));
        link.received(new ConnAck(false, 5));
        assertEquals(List.of("refused 5"), events);
        assertTrue(remote.closeRequested);
        assertFalse(link.isUp());
    }

    @Test
    void anythingButConnAckFirstCloses() {
        BridgeLink link = link(settings(HOME_TO_CLOUD));
        link.received(new Publish("x", bytes("y"), 0, false, false, 0));
        assertTrue(remote.closeRequested);
    }

    @Test
    void anUnansweredPingClosesAfterAWholeInterval() {
        BridgeLink link = connectedLink(settings(HOME_TO_CLOUD));
        remote.take();
        link.keepAliveDue();
        assertEquals(List.of("PINGREQ"), describe(remote.take()));
        link.received(MqttPacket.Empty.PINGRESP);
        now += 60_000_000_000L;
        link.keepAliveDue();
        assertEquals(List.of("PINGREQ"), describe(remote.take()), "answered: ping again");
        link.keepAliveDue();
        assertFalse(remote.closeRequested, "reader and writer idle at the same moment are one interval");
        now += 59_000_000_000L;
        link.keepAliveDue();
        assertFalse(remote.closeRequested, "not a whole interval yet");
        now += 1_000_000_000L;
        link.keepAliveDue();
        assertTrue(remote.closeRequested, "a whole interval without PINGRESP");
    }

    @Test
    void losingTheRemoteSetsTheLocalStateToZero() {
        BridgeLink link = connectedLink(settings(HOME_TO_CLOUD));
        link.closed("Client local.host.cloud closed its connection.");
        assertEquals("0", retainedPayload(STATE));
        assertFalse(sessions.get("local.host.cloud").isConnected(), "the persistent session waits offline");
    }

    @Test
    void theSessionSubscribesToTheOutTopicsOnly() {
        connectedLink(settings(HOME_TO_CLOUD));
        assertEquals(List.of("both/#", "home/sensors/#"),
                sessions.get("local.host.cloud").subscriptions().keySet().stream().sorted().toList());
    }

    @Test
    void beforeItFirstConnectsItsOutTopicsAreKeptForItAndNeverExpire() {
        BridgeSettings settings = settings(HOME_TO_CLOUD);
        sessions.holdOffline(settings.localClientId(), ImmediateEventExecutor.INSTANCE,
                session -> BridgeSubscriptions.apply(settings, router, session));
        new Client("sensor").publish("home/sensors/t", "21", 1, false);
        sessions.expireSessions(0);
        assertEquals(1, sessions.get(settings.localClientId()).queuedCount(), "kept, and not expired");
        connectedLink(settings);
        assertEquals(List.of("PUBLISH " + STATE + " q1 r1 1", "UNSUBSCRIBE cloud/sensors/#",
                "SUBSCRIBE cloud/cmd/# q2", "SUBSCRIBE both/# q1", "PUBLISH cloud/sensors/t q1 r0 21"),
                describe(remote.take()), "sent once the remote is reached");
    }

    @Test
    void aProtocolErrorFromTheRemoteClosesAsForAnyClient() {
        BridgeLink link = connectedLink(settings(HOME_TO_CLOUD));
        remote.take();
        new Client("sensor").publish("home/sensors/t", "21", 1, false);
        int packetId = ((Publish) remote.take().get(0)).packetId();
        link.received(new Ack(PacketType.PUBREC, packetId));
        assertTrue(remote.closeRequested, "PUBREC for a QoS 1 message is a protocol error");
    }

    // ---- helpers ----

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int packetId(MqttPacket packet) {
        if (packet instanceof Publish p) {
            return p.packetId();
        } else if (packet instanceof Subscribe s) {
            return s.packetId();
        } else if (packet instanceof Unsubscribe u) {
            return u.packetId();
        }
        throw new AssertionError(packet);
    }

    private static List<String> describe(List<MqttPacket> packets) {
        return packets.stream().map(BridgeLinkTest::describe).toList();
    }

    private String retainedPayload(String topic) {
        List<String> found = new ArrayList<>();
        router.retained().forEachMatching(topic, message -> found.add(new String(message.payload(), StandardCharsets.UTF_8)));
        return found.isEmpty() ? null : found.get(0);
    }

    private static String describe(MqttPacket packet) {
        if (packet instanceof Publish p) {
            return "PUBLISH " + p.topic() + " q" + p.qos() + " r" + (p.retain() ? 1 : 0) + " "
                    + new String(p.payload(), StandardCharsets.UTF_8);
        } else if (packet instanceof Subscribe s) {
            return "SUBSCRIBE " + s.subscriptions().get(0).filter() + " q" + s.subscriptions().get(0).qos();
        } else if (packet instanceof Unsubscribe u) {
            return "UNSUBSCRIBE " + u.filters().get(0);
        } else if (packet instanceof Ack a) {
            return a.type() + " " + a.packetId();
        } else if (packet instanceof SubAck s) {
            return "SUBACK " + s.packetId();
        }
        return packet.type().toString();
    }
}
