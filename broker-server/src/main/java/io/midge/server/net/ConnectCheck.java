package io.midge.server.net;

import io.midge.core.auth.Authenticator;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.protocol.CloseReason;
import io.midge.core.protocol.ConnectVerdict;
import io.netty.channel.ChannelPipeline;

import java.util.UUID;

/**
 * Decides whether a CONNECT is accepted, in mosquitto 2.0's order and with its return codes:
 * the protocol level, the client id, keep alive, the will's size, the user's credentials, and
 * the listener's client id rules.
 */
final class ConnectCheck {

    static final int UNACCEPTABLE_PROTOCOL_VERSION = 1;
    static final int IDENTIFIER_REJECTED = 2;
    static final int BAD_USERNAME_OR_PASSWORD = 4;
    static final int NOT_AUTHORIZED = 5;

    private final ConnectionSettings settings;
    private final ListenerContext listener;

    ConnectCheck(ConnectionSettings settings, ListenerContext listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /** @param pipeline the connection's, for the client certificate when it names the user */
    ConnectVerdict check(Connect connect, ChannelPipeline pipeline) {
        if (!connect.protocolSupported()) {
            return ConnectVerdict.refuse(UNACCEPTABLE_PROTOCOL_VERSION, CloseReason.PROTOCOL_ERROR,
                    settings.connectionMessages()
                            ? "Invalid protocol version " + connect.protocolLevel() + " in CONNECT from %2$s." : null);
        }
        String clientId = connect.clientId();
        if (clientId.isEmpty()) {
            // MQTT 3.1 requires a client id; 3.1.1 lets the server assign one to a clean session,
            // MQTT 5 to any session (it learns the id from CONNACK).
            if (connect.protocolLevel() == 3 || !connect.cleanSession() && !connect.mqtt5()
                    || !settings.allowZeroLengthClientId()) {
                return ConnectVerdict.refuse(IDENTIFIER_REJECTED, CloseReason.PROTOCOL_ERROR);
            }
            clientId = settings.autoIdPrefix() + UUID.randomUUID();
        }
        String prefix = listener.clientIdPrefixes();
        if (prefix != null && !clientId.startsWith(prefix)) {
            return ConnectVerdict.refuse(NOT_AUTHORIZED, CloseReason.NOT_AUTHORISED);
        }
        if (connect.keepAliveSeconds() > settings.maxKeepaliveSeconds() && !connect.mqtt5()) {
            // 3.1.1 cannot tell a client to use a shorter keep alive; mosquitto 2.0.12+ refuses it the same way.
            // MQTT 5 can: CONNACK's server keep alive (see ClientProtocol).
            return ConnectVerdict.refuse(IDENTIFIER_REJECTED, CloseReason.PROTOCOL_ERROR);
        }
        if (connect.will() != null && connect.will().qos() > listener.maxQos()) {
            return ConnectVerdict.closeWithoutConnAck(CloseReason.BAD_SOCKET, CloseReason.QOS_NOT_SUPPORTED);
        }
        if (connect.will() != null && connect.will().payload().length > settings.maxPayloadBytes()) {
            return ConnectVerdict.refuse(NOT_AUTHORIZED, CloseReason.OVERSIZE_PAYLOAD, "Client %1$s connected with too large Will payload");
        }
        ConnectVerdict authenticated = authenticate(connect, clientId, pipeline);
        if (authenticated.accepted() && listener.useUsernameAsClientId()) {
            // mosquitto has taken the client id by then, so its refusal line names the client.
            return authenticated.username() == null
                    ? ConnectVerdict.refuseNaming(clientId, NOT_AUTHORIZED, CloseReason.NOT_AUTHORISED)
                    : ConnectVerdict.accept(authenticated.username(), authenticated.username());
        }
        return authenticated;
    }

    private ConnectVerdict authenticate(Connect connect, String clientId, ChannelPipeline pipeline) {
        if (listener.usernameFromCertificate()) {
            // The certificate, checked by TLS, is the credential: mosquitto consults no password
            // file then, and answers a missing one with "bad user name or password".
            String user = ClientCertificates.username(pipeline, listener.config().useSubjectAsUsername());
            return user == null
                    ? ConnectVerdict.refuse(BAD_USERNAME_OR_PASSWORD, CloseReason.NOT_AUTHORISED)
                    : ConnectVerdict.accept(clientId, user);
        }
        String user = connect.username();
        Authenticator.Result result = listener.authenticator().authenticate(clientId, user, connect.password());
        // mosquitto answers every refused credential with "not authorised" (5), not "bad user
        // name or password" (4), which in 3.1.1 means malformed user name or password data.
        return result == Authenticator.Result.ACCEPTED
                ? ConnectVerdict.accept(clientId, user)
                : ConnectVerdict.refuse(NOT_AUTHORIZED, CloseReason.NOT_AUTHORISED);
    }
}
