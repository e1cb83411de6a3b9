package io.midge.core.protocol;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.Auth;
import io.midge.core.packet.MqttPacket.Disconnect;

import java.util.BitSet;

/**
 * The reason codes an MQTT 5 client may send in each packet (the tables of sections 3.4.2.1
 * to 3.7.2.1, 3.14.2.1 and 3.15.2.1). Any other is a malformed packet.
 */
final class ClientReasonCodes {

    private static final BitSet PUBACK_PUBREC = codes(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
    private static final BitSet PUBREL_PUBCOMP = codes(0x00, 0x92);
    private static final BitSet DISCONNECT = codes(0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x90, 0x93, 0x94, 0x95,
            0x96, 0x97, 0x98, 0x99);
    private static final BitSet AUTH = codes(0x00, 0x18, 0x19);

    private ClientReasonCodes() {}

    static boolean valid(MqttPacket packet) {
        if (packet instanceof Ack ack && !ack.properties().absent()) {
            return switch (ack.type()) {
                case PUBACK, PUBREC -> PUBACK_PUBREC.get(ack.reasonCode());
                case PUBREL, PUBCOMP -> PUBREL_PUBCOMP.get(ack.reasonCode());
                default -> true;
            };
        }
        if (packet instanceof Disconnect disconnect) {
            return DISCONNECT.get(disconnect.reasonCode());
        }
        if (packet instanceof Auth auth) {
            return AUTH.get(auth.reasonCode());
        }
        return true;
    }

    private static BitSet codes(int... values) {
        BitSet set = new BitSet(256);
        for (int value : values) {
            set.set(value);
        }
        return set;
    }
}
