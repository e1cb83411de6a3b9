package io.midge.core.sys;

import io.midge.core.message.Message;
import io.midge.core.route.RetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.SessionRegistry;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Publishes the broker's state under {@code $SYS/broker/...} as mosquitto 2.0's sys_tree.c does:
 * the same topics, value formats and order, retained at QoS 2 through the router like any other
 * message, each value only when it changed (uptime at every update, the version once at start).
 * docs/sys-topics.md describes every topic.
 *
 * <p>mosquitto gives these retained messages a 60 second expiry, so a value that has not changed
 * for a minute is no longer sent to new subscribers; this publisher removes such values at its
 * next update, to the same effect.
 *
 * <p>Not thread-safe: {@link #run} is called every sys_interval on one thread.
 */
public final class SysPublisher implements Runnable {

    static final String PREFIX = "$SYS/broker/";
    /** QoS and expiry of mosquitto's $SYS messages (SYS_TREE_QOS, and the expiry sys_tree.c passes). */
    static final int QOS = 2;
    static final long EXPIRY_MILLIS = 60_000;

    private final Router router;
    private final SessionRegistry sessions;
    private final BrokerStats stats;
    private final LongSupplier clockMillis;
    private final LongSupplier heapInUse;
    private final long startedAtMillis;
    private final Map<String, Published> published = new HashMap<>();

    private final LoadAverages packetsReceivedLoad = new LoadAverages("messages/received");
    private final LoadAverages packetsSentLoad = new LoadAverages("messages/sent");
    private final LoadAverages publishDroppedLoad = new LoadAverages("publish/dropped");
    private final LoadAverages publishReceivedLoad = new LoadAverages("publish/received");
    private final LoadAverages publishSentLoad = new LoadAverages("publish/sent");
    private final LoadAverages bytesReceivedLoad = new LoadAverages("bytes/received");
    private final LoadAverages bytesSentLoad = new LoadAverages("bytes/sent");
    private final LoadAverages socketsLoad = new LoadAverages("sockets");
    private final LoadAverages connectionsLoad = new LoadAverages("connections");
    private final List<LoadAverages> loads = List.of(packetsReceivedLoad, packetsSentLoad, publishDroppedLoad,
            publishReceivedLoad, publishSentLoad, bytesReceivedLoad, bytesSentLoad, socketsLoad, connectionsLoad);

    private long lastUpdateMillis = -1;
    private long clientsMaximum;
    private long heapMaximum;

    /** A value as last published, when, and whether it is still retained (or expired). */
    private record Published(String value, long atMillis, boolean retained) {}

    public SysPublisher(Router router, SessionRegistry sessions, BrokerStats stats, String version,
                        LongSupplier clockMillis) {
        this(router, sessions, stats, version, clockMillis, SysPublisher::jvmHeapInUse);
    }

    /** @param heapInUse bytes of heap the broker holds now */
    SysPublisher(Router router, SessionRegistry sessions, BrokerStats stats, String version,
                 LongSupplier clockMillis, LongSupplier heapInUse) {
        this.router = router;
        this.sessions = sessions;
        this.stats = stats;
        this.clockMillis = clockMillis;
        this.heapInUse = heapInUse;
        this.startedAtMillis = clockMillis.getAsLong();
        // Published once, without expiry: it never changes while the broker runs.
        router.publish(message("version", "midge version " + version));
    }

    private static long jvmHeapInUse() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** One update; call every sys_interval seconds, always from the same thread. */
    @Override
    public void run() {
        long now = clockMillis.getAsLong();
        removeExpired(now);
        publish("uptime", (now - startedAtMillis) / 1000 + " seconds", now);
        updateClients(now);
        updateLoads(now);
        updateStore(now);
        updateHeap(now);
        publishIfChanged("messages/received", stats.packetsReceived(), now);
        publishIfChanged("messages/sent", stats.packetsSent(), now);
        publishIfChanged("publish/messages/dropped", stats.publishDropped(), now);
        publishIfChanged("publish/messages/received", stats.publishReceived(), now);
        publishIfChanged("publish/messages/sent", stats.publishSent(), now);
        publishIfChanged("bytes/received", stats.bytesReceived(), now);
        publishIfChanged("bytes/sent", stats.bytesSent(), now);
        publishIfChanged("publish/bytes/received", stats.publishBytesReceived(), now);
        publishIfChanged("publish/bytes/sent", stats.publishBytesSent(), now);
        lastUpdateMillis = now;
    }

    /**
     * Sessions, as mosquitto counts contexts: total is every session (connected or kept for an
     * offline persistent client), maximum the highest total any update saw.
     */
    private void updateClients(long now) {
        long total = sessions.size();
        long connected = Math.min(stats.connected(), total);
        if (publishIfChanged("clients/total", total, now) && total > clientsMaximum) {
            clientsMaximum = total;
            publish("clients/maximum", Long.toString(clientsMaximum), now);
        }
        long disconnected = total - connected;
        if (publishIfChanged("clients/inactive", disconnected, now)) {
            publish("clients/disconnected", Long.toString(disconnected), now);
        }
        if (publishIfChanged("clients/active", connected, now)) {
            publish("clients/connected", Long.toString(connected), now);
        }
        publishIfChanged("clients/expired", stats.clientsExpired(), now);
    }

    private void updateLoads(long now) {
        long[] counts = {stats.packetsReceived(), stats.packetsSent(), stats.publishDropped(),
                stats.publishReceived(), stats.publishSent(), stats.bytesReceived(), stats.bytesSent(),
                stats.socketsOpened(), stats.connectionsAccepted()};
        boolean first = lastUpdateMillis < 0;
        double elapsedSeconds = first ? 0 : Math.max(1, now - lastUpdateMillis) / 1000.0;
        for (int window = 0; window < packetsReceivedLoad.windows(); window++) {
            for (int i = 0; i < loads.size(); i++) {
                LoadAverages load = loads.get(i);
                if (first) {
                    load.start(counts[i]);
                    publish(load.topic(window), load.formatted(window), now);
                } else if (load.update(window, counts[i], elapsedSeconds)) {
                    publish(load.topic(window), load.formatted(window), now);
                }
            }
        }
        for (int i = 0; i < loads.size(); i++) {
            loads.get(i).endInterval(counts[i]);
        }
    }

    /**
     * mosquitto's message store holds each retained message and each message waiting for a
     * client. Read at the moment of publishing, as mosquitto does, so the $SYS messages of this
     * very update published so far are in the retained count.
     */
    private void updateStore(long now) {
        RetainedStore retained = router.retained();
        long stored = retained.size() + sessions.heldMessages();
        if (publishIfChanged("messages/stored", stored, now)) {
            publish("store/messages/count", Long.toString(stored), now);
        }
        publishIfChanged("store/messages/bytes", retained.totalPayloadBytes() + sessions.heldPayloadBytes(), now);
        publishIfChanged("subscriptions/count", router.subscriptionCount(), now);
        publishIfChanged("shared_subscriptions/count", router.sharedSubscriptionCount(), now);
        publishIfChanged("retained messages/count", router.retained().size(), now);
    }

    /** The JVM heap in use, and the most of it any update saw (mosquitto: its own allocations, and their peak). */
    private void updateHeap(long now) {
        long current = heapInUse.getAsLong();
        heapMaximum = Math.max(heapMaximum, current);
        publishIfChanged("heap/current", current, now);
        publishIfChanged("heap/maximum", heapMaximum, now);
    }

    private void removeExpired(long now) {
        for (Map.Entry<String, Published> entry : published.entrySet()) {
            Published last = entry.getValue();
            if (last.retained() && now - last.atMillis() >= EXPIRY_MILLIS) {
                router.retained().remove(entry.getKey());
                // The value is remembered still: an unchanged value is not published again.
                entry.setValue(new Published(last.value(), last.atMillis(), false));
            }
        }
    }

    /** @return whether it was published, i.e. it changed */
    private boolean publishIfChanged(String name, long value, long now) {
        String topic = topic(name);
        String text = Long.toString(value);
        Published last = published.get(topic);
        if (last != null && last.value().equals(text)) {
            return false;
        }
        publish(name, text, now);
        return true;
    }

    private void publish(String nameOrTopic, String value, long now) {
        Message message = message(nameOrTopic, value);
        published.put(message.topic(), new Published(value, now, true));
        router.publish(message);
    }

    private static Message message(String nameOrTopic, String value) {
        return new Message(topic(nameOrTopic), value.getBytes(StandardCharsets.UTF_8), QOS, true);
    }

    private static String topic(String nameOrTopic) {
        return nameOrTopic.startsWith(PREFIX) ? nameOrTopic : PREFIX + nameOrTopic;
    }
}
