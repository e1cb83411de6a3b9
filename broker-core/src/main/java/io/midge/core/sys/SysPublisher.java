package io.midge.core.sys;

import io.midge.core.message.Message;
import io.midge.core.route.Router;
import io.midge.core.session.SessionRegistry;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Publishes the broker's state under {@code $SYS/broker/...} every sys_interval, with mosquitto's
 * topic names, as retained QoS 0 messages through the router like any other message. A value is
 * published only when it changed, as mosquitto does. Who may read them is up to the ACL.
 */
public final class SysPublisher implements Runnable {

    private final Router router;
    private final SessionRegistry sessions;
    private final BrokerStats stats;
    private final long startedAtMillis;
    private final LongSupplier clockMillis;
    private final Map<String, String> lastPublished = new HashMap<>();

    public SysPublisher(Router router, SessionRegistry sessions, BrokerStats stats, String version,
                        LongSupplier clockMillis) {
        this.router = router;
        this.sessions = sessions;
        this.stats = stats;
        this.clockMillis = clockMillis;
        this.startedAtMillis = clockMillis.getAsLong();
        publishIfChanged("$SYS/broker/version", "midge version " + version);
    }

    /** One update; call every sys_interval seconds, always from the same thread. */
    @Override
    public void run() {
        long connected = stats.connected();
        long total = sessions.size();
        publishIfChanged("$SYS/broker/uptime", (clockMillis.getAsLong() - startedAtMillis) / 1000 + " seconds");
        publishIfChanged("$SYS/broker/clients/connected", connected);
        publishIfChanged("$SYS/broker/clients/active", connected);
        publishIfChanged("$SYS/broker/clients/disconnected", Math.max(0, total - connected));
        publishIfChanged("$SYS/broker/clients/total", total);
        publishIfChanged("$SYS/broker/clients/maximum", stats.maximumConnected());
        publishIfChanged("$SYS/broker/publish/messages/received", stats.publishReceived());
        publishIfChanged("$SYS/broker/publish/messages/sent", stats.publishSent());
        publishIfChanged("$SYS/broker/publish/bytes/received", stats.payloadBytesReceived());
        publishIfChanged("$SYS/broker/publish/bytes/sent", stats.payloadBytesSent());
        publishIfChanged("$SYS/broker/subscriptions/count", router.subscriptionCount());
        publishIfChanged("$SYS/broker/retained messages/count", router.retained().size());
        Runtime runtime = Runtime.getRuntime();
        publishIfChanged("$SYS/broker/heap/current", runtime.totalMemory() - runtime.freeMemory());
        publishIfChanged("$SYS/broker/heap/maximum", runtime.maxMemory());
    }

    private void publishIfChanged(String topic, long value) {
        publishIfChanged(topic, Long.toString(value));
    }

    private void publishIfChanged(String topic, String value) {
        if (!value.equals(lastPublished.put(topic, value))) {
            router.publish(new Message(topic, value.getBytes(StandardCharsets.UTF_8), 0, true));
        }
    }
}
