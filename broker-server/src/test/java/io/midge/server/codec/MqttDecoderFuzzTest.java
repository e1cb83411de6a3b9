package io.midge.server.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.midge.core.packet.MqttPacket.Connect;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Coverage-guided fuzzing of the decoder: any byte stream, cut into reads anywhere, with any packet
 * limit. What a peer sends may fail to decode, but only as a {@link MalformedPacketException}; no
 * other exception escapes, no buffer is left unreleased, and nothing is allocated beyond what the
 * peer actually sent, whatever its length fields claim.
 *
 * <p>In the default test run this replays the seeds in {@code MqttDecoderFuzzTestInputs} (valid
 * packets of every type, and each earlier finding); {@code JAZZER_FUZZ=1} fuzzes, see
 * {@code docs/fuzzing.md}.
 */
class MqttDecoderFuzzTest {

    /** Netty may round a cumulation up to the next power of two, and starts it at 256 bytes. */
    private static final int ALLOCATION_SLACK = 1024;

    @FuzzTest(maxDuration = "60s")
    void decode(FuzzedDataProvider data) {
        int side = data.consumeInt(0, 3);
        int maxPacketSize = data.consumeBoolean() ? MqttWire.MAX_REMAINING_LENGTH : data.consumeInt(0, 4096);
        int maxPayloadSize = data.consumeBoolean() ? maxPacketSize : data.consumeInt(0, maxPacketSize);
        int readSize = data.consumeInt(1, 64);
        byte[] stream = data.consumeRemainingAsBytes();

        MqttDecoder decoder = switch (side) {
            case 0 -> new MqttDecoder(maxPacketSize, maxPayloadSize);
            case 1 -> MqttDecoder.forClient(maxPacketSize, Connect.LEVEL_MQTT_3_1);
            case 2 -> MqttDecoder.forClient(maxPacketSize, Connect.LEVEL_MQTT_3_1_1);
            default -> MqttDecoder.forClient(maxPacketSize, Connect.LEVEL_MQTT_5);
        };
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = CodecTestSupport.decoderChannel(decoder, alloc);
        boolean failed = false;
        for (int i = 0; i < stream.length; i += readSize) {
            int n = Math.min(readSize, stream.length - i);
            ByteBuf read = alloc.heapBuffer(n).writeBytes(stream, i, n);
            try {
                channel.writeInbound(read);
            } catch (MalformedPacketException e) {
                // The broker closes the connection here; the decoder must still swallow what follows.
                failed = true;
            }
            drain(channel);
        }
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
        int largest = alloc.buffers.stream().mapToInt(ByteBuf::capacity).max().orElse(0);
        assertTrue(largest <= 2 * stream.length + ALLOCATION_SLACK,
                "allocated " + largest + " bytes for a stream of " + stream.length + (failed ? " (failed)" : ""));
    }

    private static void drain(EmbeddedChannel channel) {
        for (Object packet; (packet = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(packet);
        }
    }
}
