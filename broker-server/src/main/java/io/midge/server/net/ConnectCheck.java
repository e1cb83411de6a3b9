package io.midge.server.net;

import io.midge.core.auth.Authenticator;
import io.midge.server.codec.MqttPacket.Connect;
import io.netty.channel.ChannelPipeline;

import java.util.UUID;

/**
 * Decides whether a CONNECT is accepted (MQTT 3.1.1 section 3.1.4 and mosquitto's options): the
 * protocol level, the client id, keep alive, the will's size, and the user's credentials.
 */
final class ConnectCheck {

    /** The outcome: either an accepted client (clientId, username) or a refusal with its CONNACK code. */
    record Verdict(String clientId, String username, int refusalCode, String refusalReason) {

        static Verdict accept(String clientId, String username) {
            return new Verdict(clientId, username, 0, null);
        }

        static Verdict refuse(int code, String reason) {
            return new Verdict(null, null, code, reason);
        }

        boolean accepted() {
            return refusalCode == 0;
        }
    }

    private static final int UNACCEPTABLE_PROTOCOL_VERSION = 1;
    private static final int IDENTIFIER_REJECTED = 2;
    private static final int BAD_USERNAME_OR_PASSWORD = 4;
    private static final int NOT_AUTHORIZED = 5;
    /** MQTT 3.1 (MQIsdp) limits client ids to 23 characters and does not allow an empty one. */
    private static final int MQTT31_MAX_CLIENT_ID = 23;

    private final ConnectionSettings settings;
    private final ListenerContext listener;

    ConnectCheck(ConnectionSettings settings, ListenerContext listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /** @param pipeline the connection's, for the client certificate when it names the user */
    Verdict check(Connect connect, ChannelPipeline pipeline) {
        if (!connect.protocolSupported()) {
            return Verdict.refuse(UNACCEPTABLE_PROTOCOL_VERSION,
                    "unsupported protocol version " + connect.protocolName() + " " + connect.protocolLevel());
        }
        boolean mqtt31 = connect.protocolLevel() == 3;
        String clientId = connect.clientId();
        if (clientId.isEmpty()) {
            if (mqtt31 || !connect.cleanSession() || !settings.allowZeroLengthClientId()) {
                return Verdict.refuse(IDENTIFIER_REJECTED, "empty client id not allowed");
            }
            clientId = settings.autoIdPrefix() + UUID.randomUUID();
        } else if (mqtt31 && clientId.length() > MQTT31_MAX_CLIENT_ID) {
            return Verdict.refuse(IDENTIFIER_REJECTED, "client id longer than 23 characters for MQTT 3.1");
        }
        if (connect.keepAliveSeconds() > settings.maxKeepaliveSeconds()) {
            // 3.1.1 cannot tell a client to use a shorter keep alive; mosquitto 2.0.12+ refuses it the same way.
            return Verdict.refuse(IDENTIFIER_REJECTED, "keepalive " + connect.keepAliveSeconds()
                    + " exceeds max_keepalive " + settings.maxKeepaliveSeconds());
        }
        if (connect.will() != null && connect.will().payload().length > settings.maxPayloadBytes()) {
            return Verdict.refuse(IDENTIFIER_REJECTED, "will payload exceeds message_size_limit");
        }
        return authenticate(connect, clientId, pipeline);
    }

    private Verdict authenticate(Connect connect, String clientId, ChannelPipeline pipeline) {
        if (listener.usernameFromCertificate()) {
            // The certificate, checked by TLS, is the credential: mosquitto consults no password file then.
            String user = ClientCertificates.username(pipeline, listener.config().useSubjectAsUsername());
            return user == null
                    ? Verdict.refuse(NOT_AUTHORIZED, "not authorised: no client certificate names a user")
                    : Verdict.accept(clientId, user);
        }
        String user = connect.username();
        Authenticator.Result result = listener.authenticator().authenticate(clientId, user, connect.password());
        String forUser = user == null ? "" : " for user '" + user + "'";
        return switch (result) {
            case ACCEPTED -> Verdict.accept(clientId, user);
            case BAD_USERNAME_OR_PASSWORD -> Verdict.refuse(BAD_USERNAME_OR_PASSWORD, "bad user name or password" + forUser);
            case NOT_AUTHORIZED -> Verdict.refuse(NOT_AUTHORIZED, "not authorised" + forUser);
        };
    }
}
