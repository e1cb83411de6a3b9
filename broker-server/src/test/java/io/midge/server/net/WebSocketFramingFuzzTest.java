package io.midge.server.net;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.midge.core.packet.MqttPacket;
import io.midge.server.codec.MalformedPacketException;
import io.midge.server.codec.MqttDecoder;
import io.midge.server.codec.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of a websockets listener's pipeline (HTTP upgrade, WebSocket framing,
 * the MQTT decoder): a well-formed or broken upgrade request, then frames of any opcode, flags,
 * mask and claimed length around fuzzed payloads, cut into reads anywhere. Only MQTT packets may
 * reach the connection handler; what fails may fail only as a decoding error (which closes the
 * connection); every buffer is released; nothing is allocated beyond what was actually sent.
 */
class WebSocketFramingFuzzTest {

    private static final byte[] UPGRADE = ("GET /mqtt HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Protocol: mqtt\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    /** Netty's cumulation rounds up and starts at 256 bytes; the HTTP codec keeps a few small buffers of its own. */
    private static final int ALLOCATION_SLACK = 4096;
    private static final int MAX_FRAMES = 40;

    /** Stands where MqttConnection does, recording what it would not cope with. */
    private static final class ConnectionStandIn extends ChannelInboundHandlerAdapter {
        Throwable unexpected;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof MqttPacket) && unexpected == null) {
                unexpected = new AssertionError("not an MQTT packet: " + msg.getClass().getName());
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof MalformedPacketException || cause instanceof DecoderException) && unexpected == null) {
                unexpected = cause;
            }
            ctx.close();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void frames(FuzzedDataProvider data) {
        int maxPacketBytes = data.consumeInt(2, 4096);
        int readSize = data.consumeInt(1, 256);
        byte[] stream = wire(data);

        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        ListenerInitializer.addWebSocketCodec(channel.pipeline(), maxPacketBytes);
        ConnectionStandIn connection = new ConnectionStandIn();
        channel.pipeline().addLast(new MqttDecoder(maxPacketBytes, maxPacketBytes), connection);
        for (int i = 0; i < stream.length && channel.isOpen(); i += readSize) {
            int n = Math.min(readSize, stream.length - i);
            ByteBuf read = alloc.heapBuffer(n).writeBytes(stream, i, n);
            channel.writeInbound(read);
            for (Object out; (out = channel.readOutbound()) != null; ) {
                ReferenceCountUtil.release(out);
            }
        }
        channel.finishAndReleaseAll();
        assertNull(connection.unexpected, () -> "unexpected: " + connection.unexpected);
        alloc.assertAllReleased();
        int largest = alloc.largestCapacity();
        assertTrue(largest <= 2 * stream.length + ALLOCATION_SLACK, "allocated " + largest + " bytes for " + stream.length);
    }

    /** Mostly a valid upgrade and masked binary frames, as a client sends them; any of it may be off. */
    private static byte[] wire(FuzzedDataProvider data) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        switch (data.consumeInt(0, 7)) {
            case 0 -> wire.writeBytes(data.consumeBytes(data.consumeInt(0, 300))); // a request of its own
            case 1 -> wire.writeBytes(upgradeTo(data.consumeAsciiString(data.consumeInt(0, 40)))); // any request target
            default -> wire.writeBytes(UPGRADE);
        }
        for (int frames = 0; frames < MAX_FRAMES && data.remainingBytes() > 0; frames++) {
            int kind = data.consumeInt(0, 15);
            if (kind == 0) {
                wire.writeBytes(data.consumeBytes(data.consumeInt(0, 64))); // bytes that are no frame
                continue;
            }
            int opcode = kind < 12 ? (kind < 9 ? 0x2 : 0x0) : data.consumeInt(0, 15);
            boolean fin = kind < 6 || data.consumeBoolean();
            int rsv = kind == 15 ? data.consumeInt(0, 7) : 0;
            boolean masked = kind != 14;
            byte[] payload = data.consumeBytes(data.consumeInt(0, 512));
            long claimed = kind == 13 ? data.consumeLong() : payload.length;
            frame(wire, fin, rsv, opcode, masked, data.consumeInt(), claimed, payload);
        }
        return wire.toByteArray();
    }

    static byte[] upgradeTo(String target) {
        return new String(UPGRADE, StandardCharsets.US_ASCII).replace("GET /mqtt ", "GET " + target + " ")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void frame(ByteArrayOutputStream wire, boolean fin, int rsv, int opcode, boolean masked, int mask,
                              long claimedLength, byte[] payload) {
        wire.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (claimedLength >= 0 && claimedLength < 126) {
            wire.write(maskBit | (int) claimedLength);
        } else if (claimedLength >= 0 && claimedLength <= 0xFFFF) {
            wire.write(maskBit | 126);
            wire.write((int) (claimedLength >> 8));
            wire.write((int) claimedLength);
        } else {
            wire.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                wire.write((int) (claimedLength >> shift));
            }
        }
        byte[] key = {(byte) (mask >> 24), (byte) (mask >> 16), (byte) (mask >> 8), (byte) mask};
        if (masked) {
            wire.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            wire.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
    }
}
