package io.midge.server.codec;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * The peer sent bytes that are not a valid MQTT packet, or a packet the protocol forbids at this
 * point. The message is a short reason for the debug log; the connection must be closed without a
 * reply [MQTT-4.8.0-1].
 *
 * <p>mosquitto tells two kinds apart in its log ("disconnected due to malformed packet" and "due
 * to protocol error"), and for some violations logs a line of its own first; both are carried
 * here so that the broker's log reads as mosquitto's does.
 */
public class MalformedPacketException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    /** How mosquitto classifies the violation in its disconnect line. */
    public enum Kind {
        MALFORMED,
        PROTOCOL_ERROR,
        /** mosquitto's MOSQ_ERR_INVAL: "Invalid function arguments provided." (a will topic it cannot publish to) */
        INVALID_ARGUMENT,
        /**
         * A string that is not valid UTF-8 or holds a character mosquitto refuses. The parser
         * reports it as malformed or a protocol error where mosquitto does; only a will topic
         * keeps this kind ("Malformed UTF-8").
         */
        MALFORMED_UTF8
    }

    private final Kind kind;
    private final String noticeFormat;

    public MalformedPacketException(String reason) {
        this(Kind.MALFORMED, reason, null);
    }

    /**
     * @param noticeFormat mosquitto's own line for this violation, logged before the disconnect
     *                     line, with {@code %1$s} for the client id and {@code %2$s} for the
     *                     client's address; or null when mosquitto has none
     */
    public MalformedPacketException(Kind kind, String reason, String noticeFormat) {
        super(reason);
        this.kind = kind;
        this.noticeFormat = noticeFormat;
    }

    public static MalformedPacketException protocolError(String reason) {
        return new MalformedPacketException(Kind.PROTOCOL_ERROR, reason, null);
    }

    /** The same violation, reported as another kind. */
    MalformedPacketException as(Kind newKind) {
        return newKind == kind ? this : new MalformedPacketException(newKind, getMessage(), noticeFormat);
    }

    public Kind kind() {
        return kind;
    }

    /** mosquitto's line for this violation, formatted, or null. */
    public String notice(String clientId, String address) {
        return noticeFormat == null ? null : String.format(noticeFormat, clientId, address);
    }
}
