package io.midge.core.sys;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running totals the $SYS topics report, counted where mosquitto counts them. Updated from
 * every event loop on the message path, so they are adders: each loop adds to its own cell, and
 * only the $SYS update (or a metrics scrape) pays for summing them.
 */
public final class BrokerStats {

    /** Why a message was not delivered to a subscriber, or not routed at all. */
    public enum DropReason {
        /** A session's queue (max_queued_messages/bytes) or its inbound QoS 2 limit was full. */
        QUEUE_FULL(true),
        /** memory_limit was reached. */
        MEMORY_LIMIT(true),
        /** Larger than the receiving MQTT 5 client's maximum packet size. */
        SIZE_LIMIT(false),
        /** The ACL denied the publisher writing, or the subscriber reading, the topic. */
        NOT_AUTHORIZED(false),
        /** Its MQTT 5 message expiry interval passed before it could be sent. */
        EXPIRED(false);

        /** Whether $SYS/broker/publish/messages/dropped counts it, as mosquitto counts only messages it had no room for. */
        final boolean noRoom;

        DropReason(boolean noRoom) {
            this.noRoom = noRoom;
        }

        /** The metrics label value, e.g. {@code queue_full}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Every packet and every byte on the wire, as mosquitto's messages/... and bytes/... count them. */
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder publishDropped = new LongAdder();
    private final LongAdder[] publishReceivedByQos = adders(3);
    private final LongAdder[] publishSentByQos = adders(3);
    private final LongAdder[] publishBytesReceivedByQos = adders(3);
    private final LongAdder[] publishBytesSentByQos = adders(3);
    private final LongAdder[] droppedByReason = adders(DropReason.values().length);
    /** CONNECTs refused, by the return or reason code sent (-1: closed without a CONNACK); rare, so a map. */
    private final ConcurrentMap<Integer, LongAdder> refusedByCode = new ConcurrentHashMap<>();
    private final LongAdder clientsExpired = new LongAdder();
    private final LongAdder socketsOpened = new LongAdder();
    private final LongAdder connectionsAccepted = new LongAdder();
    private final AtomicLong connected = new AtomicLong();

    /** One whole packet read from a client (any type, including CONNECT). */
    public void packetReceived() {
        packetsReceived.increment();
    }

    /** Bytes read from a client's MQTT stream, whether or not they complete a packet. */
    public void bytesReceived(int bytes) {
        bytesReceived.add(bytes);
    }

    /** One packet, of {@code bytes} on the wire, written to a client. */
    public void packetSent(int bytes) {
        packetsSent.increment();
        bytesSent.add(bytes);
    }

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** A PUBLISH from a client, at the QoS it was sent with. */
    public void publishReceived(int qos, int payloadBytes) {
        publishReceivedByQos[qos].increment();
        publishBytesReceivedByQos[qos].add(payloadBytes);
    }

    /** A PUBLISH to a client, at the QoS it is sent with. */
    public void publishSent(int qos, int payloadBytes) {
        publishSentByQos[qos].increment();
        publishBytesSentByQos[qos].add(payloadBytes);
    }

    public void messageDropped(DropReason reason) {
        droppedByReason[reason.ordinal()].increment();
        if (reason.noRoom) {
            publishDropped.increment();
        }
    }

    /** A CONNECT refused with {@code code} in its CONNACK, or -1 when the connection was closed without one. */
    public void connectionRefused(int code) {
        refusedByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** A persistent session ended by persistent_client_expiration. */
    public void clientExpired() {
        clientsExpired.increment();
    }

    /** A TCP connection accepted, before any check, as mosquitto counts sockets. */
    public void socketOpened() {
        socketsOpened.increment();
    }

    public void clientConnected() {
        connectionsAccepted.increment();
        connected.incrementAndGet();
    }

    public void clientDisconnected() {
        connected.decrementAndGet();
    }

    public long packetsReceived() { return packetsReceived.sum(); }

    public long packetsSent() { return packetsSent.sum(); }

    public long bytesReceived() { return bytesReceived.sum(); }

    public long bytesSent() { return bytesSent.sum(); }

    public long publishReceived() { return sum(publishReceivedByQos); }

    public long publishSent() { return sum(publishSentByQos); }

    public long publishBytesReceived() { return sum(publishBytesReceivedByQos); }

    public long publishBytesSent() { return sum(publishBytesSentByQos); }

    /** The totals are the sums of the per-QoS cells: a publish counts once, not once per total and once per QoS. */
    private static long sum(LongAdder[] adders) {
        long total = 0;
        for (LongAdder adder : adders) {
            total += adder.sum();
        }
        return total;
    }

    public long publishDropped() { return publishDropped.sum(); }

    public long publishReceived(int qos) { return publishReceivedByQos[qos].sum(); }

    public long publishSent(int qos) { return publishSentByQos[qos].sum(); }

    public long publishBytesReceived(int qos) { return publishBytesReceivedByQos[qos].sum(); }

    public long publishBytesSent(int qos) { return publishBytesSentByQos[qos].sum(); }

    public long dropped(DropReason reason) { return droppedByReason[reason.ordinal()].sum(); }

    /** Refused CONNECTs by code, in code order. */
    public Map<Integer, Long> refusedByCode() {
        Map<Integer, Long> counts = new TreeMap<>();
        refusedByCode.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    public long clientsExpired() { return clientsExpired.sum(); }

    public long socketsOpened() { return socketsOpened.sum(); }

    public long connectionsAccepted() { return connectionsAccepted.sum(); }

    /** Clients whose CONNECT was accepted and whose connection is still open. */
    public long connected() { return connected.get(); }
}
