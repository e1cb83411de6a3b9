package io.midge.server.http;

import io.midge.core.route.Router;
import io.midge.core.sys.BrokerStats;

/** The running totals the dashboard computes its rates from: {@code /api/v1/stats} and the event stream's stats events. */
final class StatsJson {

    private StatsJson() {
    }

    static String of(HttpContext context) {
        BrokerStats stats = context.services().stats();
        Router router = context.services().router();
        return new JsonWriter().beginObject()
                .field("time_ms", System.currentTimeMillis())
                .field("uptime_seconds", context.uptimeSeconds())
                .field("publish_received", stats.publishReceived())
                .field("publish_sent", stats.publishSent())
                .field("bytes_received", stats.bytesReceived())
                .field("bytes_sent", stats.bytesSent())
                .field("connections_accepted", stats.connectionsAccepted())
                .field("clients_connected", stats.connected())
                .field("sessions", context.services().sessions().size())
                .field("subscriptions", router.subscriptionCount() + router.sharedSubscriptionCount())
                .field("retained", router.retained().size())
                .field("dropped", droppedTotal(stats))
                .endObject().toString();
    }

    private static long droppedTotal(BrokerStats stats) {
        long total = 0;
        for (BrokerStats.DropReason reason : BrokerStats.DropReason.values()) {
            total += stats.dropped(reason);
        }
        return total;
    }
}
