package io.midge.core.sys;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running totals the $SYS topics report, counted where mosquitto counts them. Updated from
 * every event loop on the message path, so they are adders: each loop adds to its own cell, and
 * only the $SYS update, once per sys_interval, pays for summing them.
 */
public final class BrokerStats {

    /** Every packet and every byte on the wire, as mosquitto's messages/... and bytes/... count them. */
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder publishReceived = new LongAdder();
    private final LongAdder publishSent = new LongAdder();
    private final LongAdder publishBytesReceived = new LongAdder();
    private final LongAdder publishBytesSent = new LongAdder();
    private final LongAdder publishDropped = new LongAdder();
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

    public void publishReceived(int payloadBytes) {
        publishReceived.increment();
        publishBytesReceived.add(payloadBytes);
    }

    public void publishSent(int payloadBytes) {
        publishSent.increment();
        publishBytesSent.add(payloadBytes);
    }

    /** A message a session had no room for (its queue or its inbound QoS 2 limit was full). */
    public void messageDropped() {
        publishDropped.increment();
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

    public long publishReceived() { return publishReceived.sum(); }

    public long publishSent() { return publishSent.sum(); }

    public long publishBytesReceived() { return publishBytesReceived.sum(); }

    public long publishBytesSent() { return publishBytesSent.sum(); }

    public long publishDropped() { return publishDropped.sum(); }

    public long clientsExpired() { return clientsExpired.sum(); }

    public long socketsOpened() { return socketsOpened.sum(); }

    public long connectionsAccepted() { return connectionsAccepted.sum(); }

    /** Clients whose CONNECT was accepted and whose connection is still open. */
    public long connected() { return connected.get(); }
}
