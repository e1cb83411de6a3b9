package io.midge.core.protocol;

/**
 * Whether a CONNECT is accepted: an accepted client (clientId, username), or a refusal with its
 * CONNACK code ({@link #NO_CONNACK} to close without one), the reason the connection then closes
 * for and its detail, mosquitto's line before that, if any ({@code %1$s} the client id the client
 * sent, {@code %2$s} its address), and the name the disconnect line gives the client (null for
 * "&lt;unknown&gt;").
 */
public record ConnectVerdict(String clientId, String username, int refusalCode, CloseReason closeReason,
                             String closeDetail, String noticeFormat, String logName) {

    public static final int NO_CONNACK = -1;

    public static ConnectVerdict accept(String clientId, String username) {
        return new ConnectVerdict(clientId, username, 0, null, null, null, null);
    }

    public static ConnectVerdict refuse(int code, CloseReason reason) {
        return new ConnectVerdict(null, null, code, reason, null, null, null);
    }

    public static ConnectVerdict refuse(int code, CloseReason reason, String noticeFormat) {
        return new ConnectVerdict(null, null, code, reason, null, noticeFormat, null);
    }

    /** A refusal whose disconnect line names the client by the id it sent. */
    public static ConnectVerdict refuseNaming(String clientId, int code, CloseReason reason) {
        return new ConnectVerdict(null, null, code, reason, null, null, clientId);
    }

    /** Closing without any CONNACK, as mosquitto does for some faults, with its error text. */
    public static ConnectVerdict closeWithoutConnAck(CloseReason reason, String detail) {
        return new ConnectVerdict(null, null, NO_CONNACK, reason, detail, null, null);
    }

    public boolean accepted() {
        return refusalCode == 0;
    }

    public boolean sendsConnAck() {
        return refusalCode != NO_CONNACK;
    }
}
