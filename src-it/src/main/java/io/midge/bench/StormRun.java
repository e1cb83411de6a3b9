package io.midge.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts a broker (or takes a running one), measures start to first CONNACK, waits until S
 * seconds after the start, then opens N connections at once (a window of outstanding handshakes),
 * and reports time to all connected, CONNACK latency percentiles, the broker's CPU time for the
 * storm, and its resident memory before, after and per connection.
 */
final class StormRun {

    /** Linux's USER_HZ: /proc/PID/stat counts CPU time in these. */
    private static final double TICKS_PER_SECOND = 100.0;

    private StormRun() {}

    /** What one storm measured. */
    record Outcome(int connected, int failed, String firstError, boolean timedOut, long stormNanos,
                   Histogram connack, long startToConnAckNanos, long brokerCpuTicks, long brokerCpuTicksAtStorm,
                   long pid, long rssBeforeKiB, long rssAfterKiB, int stillOpen, int brokerExit) {}

    static BenchResult run(StormSpec spec) throws BenchException, InterruptedException {
        NettySetup.init();
        ClientTransport transport = ClientTransport.best();
        EventLoopGroup group = transport.newGroup(spec.threads());
        Process broker = null;
        try {
            if (spec.selfWarmup() > 0) {
                warmUp(transport, group, spec);
                settle();
            }
            long pid;
            long startToConnAck = -1;
            long startNanos;
            if (spec.brokerCommand() != null) {
                probeOnce(new InetSocketAddress(spec.broker().getAddress(), 1), 50); // load the socket classes now
                startNanos = System.nanoTime();
                broker = start(spec);
                pid = broker.pid();
                startToConnAck = firstConnAck(spec, broker, startNanos) - startNanos;
            } else {
                startNanos = System.nanoTime();
                pid = ProcFs.listeningPid(spec.broker().getPort());
            }
            long untilStorm = startNanos + LoadRun.seconds(spec.startAfterSeconds()) - System.nanoTime();
            if (untilStorm > 0) {
                TimeUnit.NANOSECONDS.sleep(untilStorm);
            }
            long rssBefore = ProcFs.vmRssKiB(pid);
            long ticksAtStorm = ProcFs.cpuTicks(pid);

            Storm storm = new Storm(spec, transport, group);
            storm.connectAll();
            long ticksAfter = ProcFs.cpuTicks(pid);
            TimeUnit.NANOSECONDS.sleep(LoadRun.seconds(spec.holdSeconds()));
            long rssAfter = ProcFs.vmRssKiB(pid);
            int stillOpen = storm.stillOpen();
            storm.closeAll();
            int exit = broker == null ? 0 : stop(broker);
            broker = null;
            long ticks = ticksAtStorm >= 0 && ticksAfter >= 0 ? ticksAfter - ticksAtStorm : -1;
            Outcome outcome = new Outcome(storm.connected.get(), storm.failed.get(), storm.firstError.get(),
                    storm.timedOut, storm.lastConnAck - storm.firstConnect, storm.connack, startToConnAck,
                    ticks, ticksAtStorm, pid, rssBefore, rssAfter, stillOpen, exit);
            return BenchResult.storm(spec, transport, outcome, List.copyOf(storm.errors));
        } finally {
            if (broker != null) {
                stop(broker);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits (at most 5 s) until this process's own JIT has finished with the warm-up, so that
     * its compiler threads do not compete with the broker's start.
     */
    private static void settle() throws InterruptedException {
        long self = ProcessHandle.current().pid();
        long before = ProcFs.cpuTicks(self);
        for (int i = 0; i < 50 && before >= 0; i++) {
            TimeUnit.MILLISECONDS.sleep(100);
            long now = ProcFs.cpuTicks(self);
            if (now - before <= 1) {
                return;
            }
            before = now;
        }
    }

    static double cpuSeconds(long ticks) {
        return ticks / TICKS_PER_SECOND;
    }

    // ---- the broker process -------------------------------------------------------------------

    private static Process start(StormSpec spec) throws BenchException {
        String command = spec.brokerCommand().replace("{port}", Integer.toString(spec.broker().getPort()));
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "exec " + command).redirectErrorStream(true);
        builder.redirectOutput(spec.brokerLog() == null ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.to(spec.brokerLog().toFile()));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new BenchException("cannot start the broker: " + e.getMessage());
        }
    }

    /** SIGTERM, then SIGKILL after 10 s; the exit code. */
    private static int stop(Process broker) throws InterruptedException {
        broker.destroy();
        if (!broker.waitFor(10, TimeUnit.SECONDS)) {
            broker.destroyForcibly();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
        return broker.isAlive() ? -1 : broker.exitValue();
    }

    /** The time the first CONNACK arrived: a connect and CONNECT every 2 ms until one is answered. */
    private static long firstConnAck(StormSpec spec, Process broker, long startNanos)
            throws BenchException, InterruptedException {
        long deadline = startNanos + LoadRun.seconds(spec.connectTimeoutSeconds());
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new BenchException("the broker exited with " + broker.exitValue() + " before it accepted"
                        + (spec.brokerLog() == null ? "" : "; its output is in " + spec.brokerLog()));
            }
            long answered = probeOnce(spec.broker(), 2000);
            if (answered > 0) {
                return answered;
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
        throw new BenchException("the broker did not answer a CONNECT within " + spec.connectTimeoutSeconds() + " s");
    }

    /** One blocking connect + CONNECT; the nanoTime of a successful CONNACK, or -1. */
    private static long probeOnce(InetSocketAddress broker, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(broker, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            ByteBuf connect = connectPacket("stprobe" + ProcessHandle.current().pid(), false);
            byte[] bytes = new byte[connect.readableBytes()];
            connect.readBytes(bytes);
            out.write(bytes);
            InputStream in = socket.getInputStream();
            byte[] ack = in.readNBytes(4);
            return ack.length == 4 && ack[0] == 0x20 && ack[3] == 0 ? System.nanoTime() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    // ---- the storm ----------------------------------------------------------------------------

    /** A clean-session CONNECT with keep alive 60, as a reconnecting device sends it. */
    static ByteBuf connectPacket(String clientId, boolean mqtt5) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        int remaining = 10 + (mqtt5 ? 1 : 0) + 2 + id.length;
        ByteBuf buf = Unpooled.buffer(remaining + 2);
        buf.writeByte(0x10).writeByte(remaining); // ids stay short: one length byte
        buf.writeShort(4).writeBytes("MQTT".getBytes(StandardCharsets.US_ASCII));
        buf.writeByte(mqtt5 ? 5 : 4).writeByte(0x02).writeShort(60);
        if (mqtt5) {
            buf.writeByte(0);
        }
        buf.writeShort(id.length).writeBytes(id);
        return buf;
    }

    private static final class Storm {
        final StormSpec spec;
        final Bootstrap bootstrap;
        final Histogram connack = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicReference<String> firstError = new AtomicReference<>();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        final List<Channel> channels = new ArrayList<>();
        final Semaphore window;
        final CountDownLatch done;
        final String runId = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        final InetSocketAddress target;
        final int n;
        volatile long lastConnAck;
        long firstConnect;
        boolean timedOut;

        Storm(StormSpec spec, ClientTransport transport, EventLoopGroup group) {
            this(spec, transport, group, spec.broker(), spec.connections());
        }

        Storm(StormSpec spec, ClientTransport transport, EventLoopGroup group, InetSocketAddress target, int n) {
            this.spec = spec;
            this.window = new Semaphore(spec.window());
            this.done = new CountDownLatch(n);
            this.target = target;
            this.n = n;
            // Reset instead of lingering: the generator's side of a closed connection would sit in
            // TIME_WAIT and make the next run's port search slow.
            this.bootstrap = new Bootstrap().group(group).channel(transport.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_LINGER, 0)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            LoadRun.seconds(spec.connectTimeoutSeconds()) / 1_000_000));
        }

        void connectAll() throws InterruptedException {
            long deadline = System.nanoTime() + LoadRun.seconds(spec.connectTimeoutSeconds());
            firstConnect = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    timedOut = true;
                    return;
                }
                ByteBuf connect = connectPacket("st" + runId + "c" + i, spec.mqtt5());
                long started = System.nanoTime();
                Channel channel = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Handshake(Storm.this, connect, started));
                    }
                }).connect(target, new InetSocketAddress(Connector.source(i / spec.perSource() + 1), 0)).addListener(f -> {
                    if (!f.isSuccess()) {
                        connect.release();
                        fail("connect: " + f.cause().getMessage());
                    }
                }).channel();
                channels.add(channel);
            }
            if (!done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                timedOut = true;
            }
        }

        void succeed(long started) {
            long now = System.nanoTime();
            synchronized (connack) {
                connack.recordValue(Math.min(connack.getHighestTrackableValue(), now - started));
            }
            lastConnAck = Math.max(lastConnAck, now);
            connected.incrementAndGet();
            window.release();
            done.countDown();
        }

        void fail(String error) {
            failed.incrementAndGet();
            firstError.compareAndSet(null, error);
            if (errors.size() < 10) {
                errors.add(error);
            }
            window.release();
            done.countDown();
        }

        int stillOpen() {
            int open = 0;
            for (Channel channel : channels) {
                if (channel.isActive()) {
                    open++;
                }
            }
            return open;
        }

        void closeAll() {
            for (Channel channel : channels) {
                channel.close();
            }
            for (Channel channel : channels) {
                channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends the CONNECT once connected and waits for a successful CONNACK; ignores what follows. */
    private static final class Handshake extends ChannelInboundHandlerAdapter {
        private final Storm storm;
        private final ByteBuf connect;
        private final long started;
        private final byte[] head = new byte[4];
        private int headRead;
        private boolean settled;

        Handshake(Storm storm, ByteBuf connect, long started) {
            this.storm = storm;
            this.connect = connect;
            this.started = started;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(connect);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                while (!settled && headRead < 4 && buf.isReadable()) {
                    head[headRead++] = buf.readByte();
                }
                if (!settled && headRead == 4) {
                    settled = true;
                    if (head[0] == 0x20 && head[3] == 0) {
                        storm.succeed(started);
                    } else {
                        storm.fail(String.format("refused: CONNACK %02x %02x %02x %02x", head[0], head[1], head[2],
                                head[3]));
                        ctx.close();
                    }
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!settled) {
                settled = true;
                storm.fail("closed by the broker before its CONNACK");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!settled) {
                settled = true;
                storm.fail(cause.toString());
            }
            ctx.close();
        }
    }

    // ---- the generator's own warm-up ----------------------------------------------------------

    /**
     * Handshakes against a stub broker in this process, before the real broker starts, so that
     * the generator's cold JIT does not count against the broker.
     */
    private static void warmUp(ClientTransport transport, EventLoopGroup group, StormSpec spec)
            throws InterruptedException, BenchException {
        Class<? extends ServerSocketChannel> serverClass = transport == ClientTransport.EPOLL
                ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Channel server = new ServerBootstrap().group(group).channel(serverClass)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ((ByteBuf) msg).release();
                                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x20, 2, 0, 0}));
                            }
                        });
                    }
                }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        try {
            for (int round = 0; round < 3; round++) {
                Storm warm = new Storm(spec, transport, group, (InetSocketAddress) server.localAddress(),
                        spec.selfWarmup());
                warm.connectAll();
                warm.closeAll();
                if (warm.connected.get() < spec.selfWarmup()) {
                    throw new BenchException("the generator's own warm-up failed: " + warm.firstError.get());
                }
            }
        } finally {
            server.close().sync();
        }
    }
}
