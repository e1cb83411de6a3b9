package io.midge.server.http;

import io.midge.core.route.Router;
import io.midge.core.session.MemoryBudget;
import io.midge.core.session.SessionRegistry;
import io.midge.core.store.StoreObserver;
import io.midge.core.sys.BrokerStats;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The broker's Prometheus metrics, with the official client. Everything the message path counts
 * already (BrokerStats' adders, the trie's and retained store's sizes) is read by callbacks when
 * Prometheus scrapes, so counting for metrics adds nothing to the publish path; only the store's
 * commit latency is observed as it happens, on the store's writer thread.
 */
public final class BrokerMetrics {

    private static final String[] QOS = {"0", "1", "2"};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram commitSeconds;
    private final Counter fsyncs;
    private final SessionRegistry sessions;
    /** The sessions' totals, summed once per scrape for every series that reads them; scrapes run on one thread. */
    private SessionRegistry.QueueTotals scrapedTotals;

    /**
     * @param bridges each bridge's name and whether it is connected now
     */
    public BrokerMetrics(Router router, SessionRegistry sessions, BrokerStats stats, EventExecutorGroup loops,
                         Supplier<Map<String, Boolean>> bridges, String version, LongSupplier uptimeSeconds) {
        this.sessions = sessions;
        Info.builder().name("midge_build_info").help("The broker's version").labelNames("version").register(registry)
                .addLabelValues(version);
        gauge("midge_uptime_seconds", "Seconds since the broker started", uptimeSeconds);
        registerConnections(stats);
        registerMessages(stats);
        registerState(router);
        registerMemory(sessions.memory());
        commitSeconds = Histogram.builder().name("midge_store_commit_seconds").unit(Unit.SECONDS)
                .help("Time the persistent store took to write (and, with fsync durability, sync) a batch of changes")
                .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
                .classicOnly().register(registry);
        fsyncs = Counter.builder().name("midge_store_fsyncs_total").help("fsyncs the persistent store made")
                .register(registry);
        GaugeWithCallback.builder().name("midge_event_loop_pending_tasks")
                .help("Tasks waiting on each event loop: a loop that cannot keep up shows here first")
                .labelNames("loop").callback(callback -> {
                    int index = 0;
                    for (EventExecutor loop : loops) {
                        if (loop instanceof SingleThreadEventExecutor single) {
                            callback.call(single.pendingTasks(), Integer.toString(index));
                        }
                        index++;
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("midge_bridge_up").help("1 while the bridge is connected to its remote broker")
                .labelNames("bridge")
                .callback(callback -> bridges.get().forEach((name, up) -> callback.call(up ? 1 : 0, name)))
                .register(registry);
        JvmMetrics.builder().register(registry);
    }

    private void registerConnections(BrokerStats stats) {
        gauge("midge_clients_connected", "Clients connected now", stats::connected);
        counter("midge_connections_total", "CONNECTs accepted", stats::connectionsAccepted);
        counter("midge_sockets_opened_total", "TCP connections accepted, before any check", stats::socketsOpened);
        CounterWithCallback.builder().name("midge_connections_refused_total")
                .help("CONNECTs refused, by the CONNACK return or reason code sent (-1: closed without one)")
                .labelNames("code")
                .callback(callback -> stats.refusedByCode().forEach((code, count) -> callback.call(count, code.toString())))
                .register(registry);
    }

    private void registerMessages(BrokerStats stats) {
        byQos("midge_messages_received_total", "PUBLISH packets received from clients", stats::publishReceived);
        byQos("midge_messages_sent_total", "PUBLISH packets sent to clients", stats::publishSent);
        byQos("midge_message_received_bytes_total", "Payload bytes of the PUBLISH packets received",
                stats::publishBytesReceived);
        byQos("midge_message_sent_bytes_total", "Payload bytes of the PUBLISH packets sent", stats::publishBytesSent);
        counter("midge_packets_received_total", "MQTT packets of every type received", stats::packetsReceived);
        counter("midge_packets_sent_total", "MQTT packets of every type sent", stats::packetsSent);
        counter("midge_received_bytes_total", "Bytes read from clients' MQTT streams", stats::bytesReceived);
        counter("midge_sent_bytes_total", "Bytes of MQTT packets written to clients", stats::bytesSent);
        CounterWithCallback.builder().name("midge_messages_dropped_total")
                .help("Messages not delivered to a subscriber, or not routed, by reason").labelNames("reason")
                .callback(callback -> {
                    for (BrokerStats.DropReason reason : BrokerStats.DropReason.values()) {
                        callback.call(stats.dropped(reason), reason.label());
                    }
                }).register(registry);
        counter("midge_sessions_expired_total", "Persistent sessions ended by persistent_client_expiration",
                stats::clientsExpired);
    }

    private void registerState(Router router) {
        gauge("midge_retained_messages", "Retained messages", () -> router.retained().size());
        gauge("midge_retained_bytes", "Payload bytes of the retained messages", () -> router.retained().totalPayloadBytes());
        gauge("midge_subscriptions", "Subscriptions, shared ones excluded", router::subscriptionCount);
        gauge("midge_shared_subscriptions", "Members of shared subscription groups", router::sharedSubscriptionCount);
        GaugeWithCallback.builder().name("midge_sessions").help("Sessions, by whether their client is connected")
                .labelNames("state").callback(callback -> {
                    callback.call(sessionTotals().online(), "online");
                    callback.call(sessionTotals().offline(), "offline");
                }).register(registry);
        gauge("midge_queued_messages", "Messages queued for clients, all sessions", () -> sessionTotals().queued());
        gauge("midge_queued_messages_max", "The deepest session queue", () -> sessionTotals().maxQueued());
        gauge("midge_queued_bytes", "Payload bytes queued for clients", () -> sessionTotals().queuedBytes());
        gauge("midge_inflight_messages", "QoS 1 and 2 messages sent and not yet acknowledged",
                () -> sessionTotals().inflight());
    }

    private void registerMemory(MemoryBudget memory) {
        if (memory.limitBytes() > 0) {
            gauge("midge_memory_limit_bytes", "memory_limit", memory::limitBytes);
            gauge("midge_memory_held_bytes", "What memory_limit counts the broker holding for its clients", memory::heldBytes);
        }
    }

    /** Where the persistent store reports its writes. */
    public StoreObserver storeObserver() {
        return new StoreObserver() {
            @Override
            public void committed(long nanos) {
                commitSeconds.observe(nanos / 1e9);
            }

            @Override
            public void synced() {
                fsyncs.inc();
            }
        };
    }

    private SessionRegistry.QueueTotals sessionTotals() {
        if (scrapedTotals == null) {
            scrapedTotals = sessions.queueTotals();
        }
        return scrapedTotals;
    }

    /** A scrape, in Prometheus' text format; call from one thread (the HTTP worker). */
    public byte[] scrape() {
        scrapedTotals = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    public String contentType() {
        return writer.getContentType();
    }

    private void gauge(String name, String help, LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsLong()))
                .register(registry);
    }

    private void counter(String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsLong()))
                .register(registry);
    }

    private void byQos(String name, String help, IntToLongFunction value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("qos").callback(callback -> {
            for (int qos = 0; qos < QOS.length; qos++) {
                callback.call(value.applyAsLong(qos), QOS[qos]);
            }
        }).register(registry);
    }
}
