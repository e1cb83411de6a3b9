package io.midge.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens many connections as fast as the broker takes them, with at most {@code concurrency}
 * handshakes (TCP connect + CONNECT/CONNACK, + SUBSCRIBE/SUBACK) outstanding at a time.
 */
final class Connector {

    /** Loopback source ports per source address: the ephemeral range is ~28,000 ports. */
    private static final int CONNECTIONS_PER_SOURCE = 20_000;

    record Outcome(int connected, int failed, String firstError, long firstStartNanos, long lastReadyNanos,
                   boolean timedOut) {}

    private Connector() {}

    static Outcome connectAll(Bootstrap bootstrap, InetSocketAddress broker, List<BenchClient> clients,
                              int concurrency, long timeoutNanos) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(clients.size());
        AtomicInteger failed = new AtomicInteger();
        AtomicLong lastReady = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        boolean spread = clients.size() > CONNECTIONS_PER_SOURCE
                && broker.getAddress() instanceof Inet4Address && broker.getAddress().getAddress()[0] == 127;
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        boolean timedOut = false;
        for (int i = 0; i < clients.size(); i++) {
            if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                break;
            }
            BenchClient client = clients.get(i);
            client.ready.whenComplete((c, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, e.getMessage() == null ? e.toString() : e.getMessage());
                } else {
                    lastReady.accumulateAndGet(System.nanoTime(), Math::max);
                }
                permits.release();
                done.countDown();
            });
            bootstrap.handler(client.initializer());
            ChannelFuture connect = spread
                    ? bootstrap.connect(broker, new InetSocketAddress(source(i / CONNECTIONS_PER_SOURCE), 0))
                    : bootstrap.connect(broker);
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    client.ready.completeExceptionally(new BenchException(client.clientId + ": connect: "
                            + f.cause().getMessage()));
                }
            });
        }
        if (!timedOut && !done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            timedOut = true;
        }
        int connected = 0;
        for (BenchClient client : clients) {
            if (client.ready.isDone() && !client.ready.isCompletedExceptionally()) {
                connected++;
            }
        }
        return new Outcome(connected, failed.get(), firstError.get(), start, lastReady.get(), timedOut);
    }

    /** 127.0.0.1, 127.0.0.2, ...: every loopback address is local on Linux. */
    static InetAddress source(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) ((n + 1) >> 8), (byte) (n + 1)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
