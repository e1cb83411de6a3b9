package io.midge.core.protocol;

import io.midge.core.auth.EnhancedAuthentication;
import io.midge.core.packet.MqttPacket.Connect;

/**
 * An MQTT 5 client's enhanced authentication (section 4.12), kept apart from {@link ClientProtocol}
 * as few clients use it. Owned by the connection's event loop.
 */
final class EnhancedAuthState {
    /** The method the client authenticated with; re-authentication must use it too. */
    final String method;
    /** The exchange under way, or null between exchanges. */
    EnhancedAuthentication.Exchange exchange;
    /** The CONNECT that began the exchange, acted on once it succeeds. */
    Connect pendingConnect;
    /** The method's last data, for the CONNACK. */
    byte[] successData;

    EnhancedAuthState(String method, EnhancedAuthentication.Exchange exchange) {
        this.method = method;
        this.exchange = exchange;
    }
}
