package io.midge.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Opens C idle connections (CONNECT, keep alive 60, clean session) as fast as the broker accepts
 * them, holds them, and reads the broker's VmRSS before and after.
 */
final class ConnsRun {

    /** File descriptors the JVM needs besides the connections. */
    private static final int SPARE_FDS = 64;

    private ConnsRun() {}

    static BenchResult run(ConnsSpec spec) throws BenchException, InterruptedException {
        NettySetup.init();
        long fdLimit = maxFileDescriptors();
        if (fdLimit > 0 && spec.connections() + SPARE_FDS > fdLimit) {
            throw new BenchException(spec.connections() + " connections need more file descriptors than the limit of "
                    + fdLimit + ": raise it (ulimit -n) for this shell and for the broker");
        }
        long pid = spec.brokerPid() != 0 ? spec.brokerPid() : ProcFs.listeningPid(spec.broker().getPort());

        RunContext run = new RunContext(0, false, spec.mqtt5());
        String runId = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        List<BenchClient> clients = new ArrayList<>(spec.connections());
        for (int i = 0; i < spec.connections(); i++) {
            clients.add(new BenchClient(run, "mb" + runId + "c" + i, null, null));
        }
        ClientTransport transport = ClientTransport.best();
        EventLoopGroup group = transport.newGroup(spec.threads());
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            spec.connectTimeoutSeconds() * 1000));
            long rssBefore = ProcFs.vmRssKiB(pid);
            Connector.Outcome outcome = Connector.connectAll(bootstrap, spec.broker(), clients, spec.concurrency(),
                    LoadRun.seconds(spec.connectTimeoutSeconds()));
            TimeUnit.NANOSECONDS.sleep(LoadRun.seconds(spec.holdSeconds()));
            long rssAfter = ProcFs.vmRssKiB(pid);
            int stillOpen = 0;
            for (BenchClient client : clients) {
                Channel channel = client.channel();
                if (channel != null && channel.isActive() && client.ready.isDone()
                        && !client.ready.isCompletedExceptionally()) {
                    stillOpen++;
                }
            }
            run.closing = true;
            List<ChannelFuture> closes = new ArrayList<>();
            for (BenchClient client : clients) {
                if (client.channel() != null) {
                    closes.add(client.disconnect());
                }
            }
            for (ChannelFuture close : closes) {
                close.awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            return BenchResult.conns(spec, transport, outcome, stillOpen, pid, rssBefore, rssAfter,
                    List.copyOf(run.errors));
        } finally {
            run.closing = true;
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private static long maxFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
