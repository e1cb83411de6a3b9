package io.midge.core.protocol;

import io.midge.core.packet.MqttPacket.Connect;

/**
 * Decides whether a CONNECT is accepted. The listener's implementation may consult what only the
 * transport knows, such as the client certificate that names the user.
 */
@FunctionalInterface
public interface ConnectPolicy {

    ConnectVerdict check(Connect connect);
}
