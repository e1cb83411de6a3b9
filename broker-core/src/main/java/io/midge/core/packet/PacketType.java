package io.midge.core.packet;

/**
 * MQTT control packet types with the fixed-header flags MQTT 3.1.1 and 5 require (section 2.2.2 /
 * 2.1.3). AUTH exists only in MQTT 5: in 3.1.1 its value is reserved.
 */
public enum PacketType {
    CONNECT(1, 0), CONNACK(2, 0), PUBLISH(3, -1), PUBACK(4, 0), PUBREC(5, 0), PUBREL(6, 2), PUBCOMP(7, 0),
    SUBSCRIBE(8, 2), SUBACK(9, 0), UNSUBSCRIBE(10, 2), UNSUBACK(11, 0), PINGREQ(12, 0), PINGRESP(13, 0),
    DISCONNECT(14, 0), AUTH(15, 0);

    private static final PacketType[] BY_VALUE = new PacketType[16];
    static {
        for (PacketType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;
    /** The only fixed-header flag nibble allowed, or -1 where flags carry data (PUBLISH). */
    private final int requiredFlags;

    PacketType(int value, int requiredFlags) {
        this.value = value;
        this.requiredFlags = requiredFlags;
    }

    public int value() { return value; }

    public int requiredFlags() { return requiredFlags; }

    /** @return the type, or null for the reserved value 0 (and values outside 0..15). */
    public static PacketType of(int value) {
        return value >= 0 && value < 16 ? BY_VALUE[value] : null;
    }
}
