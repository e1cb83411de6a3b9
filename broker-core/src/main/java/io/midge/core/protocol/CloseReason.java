package io.midge.core.protocol;

/**
 * Why a connection ended, with the line mosquitto logs for it (its {@code do_disconnect}), word
 * for word: operators' log filters (fail2ban and the like) match these lines.
 */
public enum CloseReason {
    /** The socket closed without a DISCONNECT, before or after CONNECT. */
    CLOSED_BY_CLIENT("Client %s closed its connection."),
    /** The client sent DISCONNECT. */
    DISCONNECTED("Client %s disconnected."),
    MALFORMED_PACKET("Client %s disconnected due to malformed packet."),
    PROTOCOL_ERROR("Client %s disconnected due to protocol error."),
    NOT_AUTHORISED("Client %s disconnected, not authorised."),
    /** Keep alive, or no CONNECT in time after the socket opened. */
    TIMEOUT("Client %s has exceeded timeout, disconnecting."),
    OVERSIZE_PACKET("Client %s disconnected due to oversize packet."),
    OVERSIZE_PAYLOAD("Client %s disconnected due to oversize payload."),
    NOT_SUPPORTED("Client %s disconnected due to QoS too high or retain not supported."),
    /** memory_limit reached, by a PUBLISH or by this client's queue: mosquitto's line when an allocation for the client fails. */
    OUT_OF_MEMORY("Client %s disconnected due to out of memory."),
    /** An administrator disconnected the client; mosquitto's line for a kick, word for word (sic). */
    ADMINISTRATIVE("Client %s been disconnected by administrative action."),
    /** A socket error; the line then names the error as strerror would. */
    SOCKET_ERROR("Client %s disconnected: %s."),
    /** mosquitto's catch-all, for errors it has no line of its own for; the detail is its mosquitto_strerror text. */
    BAD_SOCKET("Bad socket read/write on client %s: %s"),
    /** Another connection took the client id; mosquitto's line for it is logged by the takeover itself. */
    TAKEN_OVER(null),
    /** Nothing to say: the broker is shutting down, or the connection never got far enough to matter. */
    QUIET(null);

    /** mosquitto_strerror's text for a QoS above max_qos, the detail of {@link #BAD_SOCKET} then. */
    public static final String QOS_NOT_SUPPORTED = "Requested QoS not supported on server.";

    private final String format;

    CloseReason(String format) {
        this.format = format;
    }

    /** @return the log line, or null when mosquitto logs none */
    public String line(String client, String detail) {
        return format == null ? null : String.format(format, client, detail);
    }
}
