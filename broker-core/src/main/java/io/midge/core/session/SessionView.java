package io.midge.core.session;

import java.util.Map;

/**
 * A session as monitoring shows it, taken on its owner loop.
 *
 * @param persistent    whether the session outlives the connection (clean session off, or an MQTT 5 expiry)
 * @param client        the connected client, or {@link ClientInfo#UNKNOWN} when offline
 * @param subscriptions filter → granted QoS with subscription option flags
 */
public record SessionView(String clientId, boolean connected, boolean persistent, int queued, int inflight,
                          long dropped, ClientInfo client, Map<String, Integer> subscriptions) {
}
