package io.midge.server.codec;

import java.util.function.IntConsumer;

/**
 * What an {@link MqttDecoder} is configured with, made once per listener and shared by its
 * connections' decoders, so that each idle connection does not carry a copy.
 *
 * @param maxPacketSize  the largest remaining length accepted, at most {@link MqttWire#MAX_REMAINING_LENGTH}
 * @param maxPayloadSize a PUBLISH with a larger payload is decoded as an oversized one, its payload skipped
 * @param consumed       told how many bytes each decode step consumed ($SYS bytes/received)
 * @param server         a server's decoder accepts only what clients send, a client's only what servers send
 */
public record DecoderSettings(int maxPacketSize, int maxPayloadSize, IntConsumer consumed, boolean server) {

    /** A server's. */
    public DecoderSettings(int maxPacketSize, int maxPayloadSize, IntConsumer consumed) {
        this(maxPacketSize, maxPayloadSize, consumed, true);
    }

    public DecoderSettings {
        if (maxPacketSize < 0 || maxPacketSize > MqttWire.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("maxPacketSize must be 0.." + MqttWire.MAX_REMAINING_LENGTH
                    + ", was " + maxPacketSize);
        }
        if (maxPayloadSize < 0) {
            throw new IllegalArgumentException("maxPayloadSize must not be negative, was " + maxPayloadSize);
        }
    }
}
