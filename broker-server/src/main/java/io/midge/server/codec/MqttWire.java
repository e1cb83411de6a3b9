package io.midge.server.codec;

import io.midge.core.packet.PacketType;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ByteProcessor;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Wire-level primitives shared by {@link MqttDecoder} and {@link MqttEncoder}: variable byte
 * integers (the remaining length, MQTT 5's property lengths and subscription identifiers, section
 * 1.5.5), length-prefixed UTF-8 strings (1.5.3) and length-prefixed binary data. Sizes for writing
 * are {@link io.midge.core.packet.WireSize}'s.
 *
 * <p>Readers work on a packet body that has been sliced to exactly its remaining length, so a
 * field that claims more bytes than are left is reported as malformed instead of reading into the
 * next packet.
 */
public final class MqttWire {

    /** The largest remaining length four length bytes can express: 256 MB - 1. */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;

    /** Stops at the first byte that is not printable 7-bit ASCII (a signed byte is negative from 0x80 on). */
    private static final ByteProcessor PRINTABLE_ASCII = value -> value >= 0x20 && value != 0x7F;

    /*
     * A CharsetDecoder is stateful and not thread-safe; one per event-loop thread rather than per
     * connection keeps idle connections from paying for it. REPORT makes malformed input, overlong
     * forms and encoded surrogates fail instead of being silently replaced with U+FFFD.
     */
    private static final FastThreadLocal<CharsetDecoder> UTF8_DECODER = new FastThreadLocal<>() {
        @Override
        protected CharsetDecoder initialValue() {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
    };

    private MqttWire() {}

    // ---- remaining length ---------------------------------------------------------------------

    /** Number of bytes (1 to 4) the remaining length takes on the wire. */
    static int remainingLengthSize(int remainingLength) {
        if (remainingLength < 0x80) {
            return 1;
        }
        if (remainingLength < 0x4000) {
            return 2;
        }
        return remainingLength < 0x20_0000 ? 3 : 4;
    }

    /** A variable byte integer; the remaining length is one. */
    static void writeVariableByteInteger(ByteBuf out, int value) {
        writeRemainingLength(out, value);
    }

    static void writeRemainingLength(ByteBuf out, int remainingLength) {
        int value = remainingLength;
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    // ---- reading fields of a bounded packet body -------------------------------------------

    static int readUnsignedByte(ByteBuf body, String field) {
        if (!body.isReadable()) {
            throw truncated(field);
        }
        return body.readUnsignedByte();
    }

    static int readInt(ByteBuf body, String field) {
        if (body.readableBytes() < 4) {
            throw truncated(field);
        }
        return body.readInt();
    }

    /**
     * A variable byte integer (section 1.5.5) inside a packet body: at most four bytes, in the
     * fewest bytes that hold the value [MQTT-1.5.5-1], as mosquitto also requires.
     */
    static int readVariableByteInteger(ByteBuf body, String field) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (!body.isReadable()) {
                throw truncated(field);
            }
            int digit = body.readUnsignedByte();
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                if (i > 0 && digit == 0) {
                    throw new MalformedPacketException(field + " is not encoded in its fewest bytes");
                }
                return value;
            }
        }
        throw new MalformedPacketException(field + " is longer than 4 bytes");
    }

    static int readUnsignedShort(ByteBuf body, String field) {
        if (body.readableBytes() < 2) {
            throw truncated(field);
        }
        return body.readUnsignedShort();
    }

    /** A packet identifier, which MQTT 3.1.1 requires to be non-zero wherever it appears. */
    static int readPacketId(ByteBuf body, PacketType type) {
        if (body.readableBytes() < 2) {
            throw truncated(type + " packet identifier");
        }
        int packetId = body.readUnsignedShort();
        if (packetId == 0) {
            throw new MalformedPacketException(type + " packet identifier must not be 0");
        }
        return packetId;
    }

    /**
     * Reads a length-prefixed string that must be well-formed UTF-8 without U+0000
     * [MQTT-1.5.3-1, MQTT-1.5.3-2], control characters or non-characters. A byte order mark is
     * kept, not stripped [MQTT-1.5.3-3].
     *
     * <p>The specification only says such strings SHOULD NOT contain control characters or
     * non-characters and that a receiver MAY close the connection; mosquitto closes it, for every
     * string field, so Midge does too.
     */
    static String readUtf8(ByteBuf body, String field) {
        int length = readFieldLength(body, field);
        int start = body.readerIndex();
        String value = decodeUtf8(body, start, length, field);
        body.readerIndex(start + length);
        return value;
    }

    static byte[] readBinary(ByteBuf body, String field) {
        int length = readFieldLength(body, field);
        byte[] value = new byte[length];
        body.readBytes(value);
        return value;
    }

    private static int readFieldLength(ByteBuf body, String field) {
        // Messages are only built on failure: this runs for every string of every packet.
        if (body.readableBytes() < 2) {
            throw truncated(field + " length");
        }
        int length = body.readUnsignedShort();
        if (length > body.readableBytes()) {
            throw new MalformedPacketException(field + " length " + length + " exceeds the "
                    + body.readableBytes() + " bytes left in the packet");
        }
        return length;
    }

    private static String decodeUtf8(ByteBuf body, int start, int length, String field) {
        if (length == 0) {
            return "";
        }
        // Almost every topic and client id is printable ASCII: one scan, then a Latin-1 string copy.
        int stop = body.forEachByte(start, length, PRINTABLE_ASCII);
        if (stop < 0) {
            return body.toString(start, length, StandardCharsets.US_ASCII);
        }
        // In UTF-8 a byte below 0x80 is always the character itself: continuation bytes are 0x80-0xBF.
        byte first = body.getByte(stop);
        if (first >= 0) {
            throw disallowedCharacter(field, first);
        }
        String value;
        try {
            CharBuffer chars = UTF8_DECODER.get().decode(body.nioBuffer(start, length));
            value = chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPacketException(MalformedPacketException.Kind.MALFORMED_UTF8,
                    field + " is not well-formed UTF-8", null);
        }
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (isDisallowed(codePoint)) {
                throw disallowedCharacter(field, codePoint);
            }
            i += Character.charCount(codePoint);
        }
        return value;
    }

    /**
     * U+0000, the C0 and C1 control characters (U+0001-U+001F, U+007F-U+009F) and the Unicode
     * non-characters (U+FDD0-U+FDEF and the last two code points of every plane), as mosquitto's
     * UTF-8 validation rejects them.
     */
    static boolean isDisallowed(int codePoint) {
        return codePoint <= 0x1F || (codePoint >= 0x7F && codePoint <= 0x9F)
                || (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
    }

    private static MalformedPacketException disallowedCharacter(String field, int codePoint) {
        return new MalformedPacketException(MalformedPacketException.Kind.MALFORMED_UTF8,
                String.format("%s contains U+%04X", field, codePoint), null);
    }

    private static MalformedPacketException truncated(String field) {
        return new MalformedPacketException("packet ends before " + field);
    }

    // ---- writing ------------------------------------------------------------------------------

    /**
     * Writes a string whose size was checked already (by {@link io.midge.core.packet.WireSize}),
     * without computing its UTF-8 length again: the length prefix is filled in afterwards.
     */
    static void writeSizedUtf8(ByteBuf out, String value) {
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        if (value.isEmpty()) {
            return;
        }
        // The buffer is exactly sized: reserving what is left never grows it (Netty's writeUtf8
        // reserves 3 bytes per char and would).
        int written = ByteBufUtil.reserveAndWriteUtf8(out, value, out.writableBytes());
        out.setShort(lengthIndex, written);
    }

    static void writeBinary(ByteBuf out, byte[] value) {
        out.writeShort(value.length);
        out.writeBytes(value);
    }
}
