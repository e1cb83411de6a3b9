package io.midge.core.protocol;

import io.midge.core.packet.ReasonCode;

/** The MQTT 5 reason codes for what the 3.1.1 protocol code already decides, as mosquitto maps them. */
final class Mqtt5Reasons {

    private Mqtt5Reasons() {}

    /** A 3.1.1 CONNACK return code, as the MQTT 5 CONNACK reason code that means the same. */
    static int forConnectRefusal(int returnCode) {
        return switch (returnCode) {
            case 1 -> ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
            case 2 -> ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
            case 3 -> ReasonCode.SERVER_UNAVAILABLE;
            case 4 -> ReasonCode.BAD_USER_NAME_OR_PASSWORD;
            case 5 -> ReasonCode.NOT_AUTHORIZED;
            default -> ReasonCode.UNSPECIFIED_ERROR;
        };
    }

    /**
     * The reason code of the DISCONNECT sent before closing for {@code reason}, or -1 when none is
     * sent: the client closed, or the socket failed, so nothing could be read by it anyway.
     */
    static int forClose(CloseReason reason, String detail) {
        return switch (reason) {
            case MALFORMED_PACKET -> ReasonCode.MALFORMED_PACKET;
            case PROTOCOL_ERROR -> ReasonCode.PROTOCOL_ERROR;
            case NOT_AUTHORISED -> ReasonCode.NOT_AUTHORIZED;
            case TIMEOUT -> ReasonCode.KEEP_ALIVE_TIMEOUT;
            case OVERSIZE_PACKET, OVERSIZE_PAYLOAD -> ReasonCode.PACKET_TOO_LARGE;
            case NOT_SUPPORTED -> ReasonCode.RETAIN_NOT_SUPPORTED;
            case OUT_OF_MEMORY -> ReasonCode.QUOTA_EXCEEDED;
            case ADMINISTRATIVE -> ReasonCode.ADMINISTRATIVE_ACTION;
            case BAD_SOCKET -> CloseReason.QOS_NOT_SUPPORTED.equals(detail) ? ReasonCode.QOS_NOT_SUPPORTED
                    : ReasonCode.MALFORMED_PACKET;
            case TAKEN_OVER -> ReasonCode.SESSION_TAKEN_OVER;
            case QUIET -> ReasonCode.UNSPECIFIED_ERROR; // an error of ours
            case CLOSED_BY_CLIENT, DISCONNECTED, SOCKET_ERROR -> -1;
        };
    }
}
