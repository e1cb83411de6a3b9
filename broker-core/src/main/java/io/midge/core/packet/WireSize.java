package io.midge.core.packet;

/** PLACEHOLDER until the codec branch lands: replaced by its implementation. */
public final class WireSize {
    private WireSize() {}

    public static int of(MqttPacket packet) {
        throw new UnsupportedOperationException("WireSize placeholder");
    }
}
