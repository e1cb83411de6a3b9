package io.midge.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.auth.AnonymousOnlyAuthenticator;
import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.packet.MqttPacket.Empty;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.packet.MqttPacket.Subscribe;
import io.midge.core.packet.MqttPacket.TopicSubscription;
import io.midge.core.packet.MqttPacket.Unsubscribe;
import io.midge.core.packet.MqttPacket.Will;
import io.midge.core.packet.PacketType;
import io.midge.core.route.MemoryRetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.core.sys.BrokerStats;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the protocol state machine: sequences of packets, each well formed
 * (the decoder has refused the rest), from a few clients that share client identifiers, topics and
 * packet identifiers so that takeovers, overlapping subscriptions, duplicate and unknown packet
 * identifiers, packets before CONNECT and after DISCONNECT all happen. Whatever the order, no
 * exception escapes the protocol, and afterwards a new client still connects and gets its
 * messages. Seeds: {@code ClientProtocolFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ClientProtocolFuzzTest {

    private static final String[] CLIENT_IDS = {"a", "b", "c"};
    private static final String[] LEVELS = {"t", "u", "+", "#", "$SYS", ""};
    private static final int CLIENTS = 3;
    private static final int MAX_STEPS = 200;

    @FuzzTest(maxDuration = "60s")
    void packetSequences(FuzzedDataProvider data) {
        Router router = new Router(new MemoryRetainedStore(), true);
        SessionRegistry sessions = new SessionRegistry(SessionLimits.DEFAULTS, router::discardSubscriptions,
                Clock.systemUTC());
        ProtocolContext context = new ProtocolContext(router, sessions, new BrokerStats(), "", 2, true, false,
                new AnonymousOnlyAuthenticator(true), AllowAllAuthorizer.INSTANCE, false);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            sockets.add(new Socket(context));
        }
        for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
            int which = data.consumeInt(0, CLIENTS - 1);
            Socket socket = sockets.get(which);
            if (socket.closed) {
                sockets.set(which, socket = new Socket(context));
            }
            int action = data.consumeInt(0, 9);
            if (action == 9) {
                socket.close();
            } else {
                socket.protocol.received(packet(action, data));
            }
            sockets.forEach(Socket::closeIfAsked);
        }
        sockets.forEach(Socket::close);

        Socket fresh = new Socket(context);
        fresh.protocol.received(new Connect("MQTT", 4, true, 60, "fresh", null, null, null));
        fresh.protocol.received(new Subscribe(1, List.of(new TopicSubscription("fresh/#", 1))));
        fresh.protocol.received(new Publish("fresh/t", new byte[] {1}, 1, false, false, 2));
        List<String> seen = fresh.transport.take().stream().map(p -> p.type().toString()).toList();
        assertEquals(List.of("CONNACK", "PUBACK", "PUBLISH", "SUBACK"), seen.stream().sorted().toList(), "after the sequence: " + seen);
        fresh.close();
    }

    private static MqttPacket packet(int action, FuzzedDataProvider data) {
        int packetId = data.consumeInt(0, 4);
        return switch (action) {
            case 0 -> new Connect(data.consumeBoolean() ? "MQTT" : "MQIsdp", data.consumeBoolean() ? 4 : 3,
                    data.consumeBoolean(), data.consumeInt(0, 5), CLIENT_IDS[data.consumeInt(0, 2)],
                    data.consumeBoolean() ? new Will(topic(data), data.consumeBytes(8), qos(data),
                            data.consumeBoolean()) : null, null, null);
            case 1 -> new Publish(topic(data), data.consumeBytes(8), qos(data), data.consumeBoolean(),
                    data.consumeBoolean(), packetId);
            case 2 -> new Subscribe(packetId, List.of(new TopicSubscription(filter(data), qos(data))));
            case 3 -> new Unsubscribe(packetId, List.of(filter(data)));
            case 4 -> new Ack(PacketType.PUBACK, packetId);
            case 5 -> new Ack(PacketType.PUBREC, packetId);
            case 6 -> new Ack(PacketType.PUBREL, packetId);
            case 7 -> new Ack(PacketType.PUBCOMP, packetId);
            default -> data.consumeBoolean() ? Empty.PINGREQ : Empty.DISCONNECT;
        };
    }

    private static int qos(FuzzedDataProvider data) {
        return data.consumeInt(0, 2);
    }

    /** A valid topic name: levels without wildcards. */
    private static String topic(FuzzedDataProvider data) {
        String name = levels(data).replace("+", "t").replace("#", "u");
        return name.isEmpty() ? "t" : name;
    }

    /** A valid filter: {@code #} only as the last level. */
    private static String filter(FuzzedDataProvider data) {
        String filter = levels(data);
        int hash = filter.indexOf('#');
        return hash >= 0 ? filter.substring(0, hash + 1) : filter.isEmpty() ? "#" : filter;
    }

    private static String levels(FuzzedDataProvider data) {
        int count = data.consumeInt(1, 4);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < count; i++) {
            joined.append(i == 0 ? "" : "/").append(LEVELS[data.consumeInt(0, LEVELS.length - 1)]);
        }
        return joined.toString();
    }

    /** One client connection: the protocol, and the socket's side of closing. */
    private static final class Socket {
        final RecordingTransport transport = new RecordingTransport(ImmediateEventExecutor.INSTANCE);
        final ClientProtocol protocol;
        boolean closed;

        Socket(ProtocolContext context) {
            protocol = new ClientProtocol(context,
                    connect -> ConnectVerdict.accept(connect.clientId(), connect.username()), transport);
        }

        /** The broker asked to close (a protocol error, a takeover): the socket then closes. */
        void closeIfAsked() {
            if (transport.closeRequested) {
                close();
            }
        }

        void close() {
            if (!closed) {
                closed = true;
                protocol.closed();
            }
        }
    }
}
