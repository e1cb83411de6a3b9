package io.midge.server.codec;

/**
 * A fixed header announced a remaining length above the configured limit. A separate type so the
 * broker can report "exceeded message_size_limit" rather than a protocol violation.
 */
public final class PacketTooLargeException extends MalformedPacketException {

    private static final long serialVersionUID = 1L;

    private final int remainingLength;
    private final int limit;

    public PacketTooLargeException(int remainingLength, int limit) {
        super("remaining length " + remainingLength + " exceeds limit " + limit);
        this.remainingLength = remainingLength;
        this.limit = limit;
    }

    public int remainingLength() { return remainingLength; }

    public int limit() { return limit; }
}
