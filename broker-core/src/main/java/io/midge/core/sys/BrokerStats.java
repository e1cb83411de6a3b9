package io.midge.core.sys;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the $SYS topics report. Updated from every event loop on the message path, so they
 * are adders rather than one contended atomic.
 */
public final class BrokerStats {

    private final LongAdder publishReceived = new LongAdder();
    private final LongAdder publishSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong maximumConnected = new AtomicLong();

    public void publishReceived(int payloadBytes) {
        publishReceived.increment();
        bytesReceived.add(payloadBytes);
    }

    public void publishSent(int payloadBytes) {
        publishSent.increment();
        bytesSent.add(payloadBytes);
    }

    public void clientConnected() {
        long now = connected.incrementAndGet();
        maximumConnected.accumulateAndGet(now, Math::max);
    }

    public void clientDisconnected() {
        connected.decrementAndGet();
    }

    public long publishReceived() { return publishReceived.sum(); }

    public long publishSent() { return publishSent.sum(); }

    public long payloadBytesReceived() { return bytesReceived.sum(); }

    public long payloadBytesSent() { return bytesSent.sum(); }

    public long connected() { return connected.get(); }

    public long maximumConnected() { return maximumConnected.get(); }
}
