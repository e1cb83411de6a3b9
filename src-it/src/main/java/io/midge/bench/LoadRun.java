package io.midge.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs fanin, fanout, p2p and latency: connect every subscriber (and wait for its SUBACK), then
 * every publisher; publish for warm-up + duration; stop; drain; count; disconnect.
 *
 * <p>The main thread only orchestrates and sleeps. It reads the clients' counters through tasks
 * run on their event loops, never directly.
 */
final class LoadRun {

    /** How often the drain phase looks at the counters. */
    private static final long POLL_MILLIS = 50;

    private final LoadSpec spec;
    private final RunContext run;
    private final List<BenchClient> publishers = new ArrayList<>();
    private final List<BenchClient> subscribers = new ArrayList<>();
    /** With a shared subscription, per publisher: what reached the group as a whole; else null. */
    private ShareGroupTally[] group;

    private LoadRun(LoadSpec spec) {
        this.spec = spec;
        this.run = new RunContext(spec.qos(), spec.persistentSubscribers(), spec.mqtt5());
    }

    static BenchResult run(LoadSpec spec) throws BenchException, InterruptedException {
        NettySetup.init();
        return new LoadRun(spec).execute();
    }

    private BenchResult execute() throws BenchException, InterruptedException {
        buildClients();
        ClientTransport transport = ClientTransport.best();
        EventLoopGroup group = transport.newGroup(spec.threads());
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            spec.connectTimeoutSeconds() * 1000));
            long timeout = seconds(spec.connectTimeoutSeconds());
            connect(bootstrap, spec.subscriberBroker(), subscribers, timeout);
            connect(bootstrap, spec.broker(), publishers, timeout);

            long tick = start();
            sleepUntil(run.measureEnd);
            onEveryLoop(LoopState::stop);
            long drainStart = System.nanoTime();
            drain();
            long drainNanos = System.nanoTime() - drainStart;

            Snapshot result = snapshot(true);
            run.closing = true;
            List<ChannelFuture> closes = new ArrayList<>();
            for (BenchClient client : all()) {
                closes.add(client.disconnect());
            }
            for (ChannelFuture close : closes) {
                close.awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
            return BenchResult.load(spec, transport, result, drainNanos, tick, List.copyOf(run.errors));
        } finally {
            run.closing = true;
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void buildClients() {
        String runId = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        int pubs = spec.publishers();
        long interval = spec.rate() > 0 ? Math.max(1, Math.round(1e9 * pubs / spec.rate())) : 0;
        for (int i = 0; i < pubs; i++) {
            String topic = spec.prefix() + "/" + i;
            Publisher p = new Publisher(i, topic, spec.qos(), spec.payload(), spec.inflight(), interval, spec.mqtt5());
            publishers.add(new BenchClient(run, "mb" + runId + "p" + i, p, null));
        }
        if (spec.shared()) {
            group = new ShareGroupTally[pubs];
            for (int i = 0; i < pubs; i++) {
                group[i] = new ShareGroupTally();
            }
        }
        for (int i = 0; i < spec.subscribers(); i++) {
            Subscriber s = switch (spec.scenario()) {
                case FANIN -> new Subscriber(i, spec.prefix() + "/#", 0, pubs);
                case FANOUT -> spec.shared()
                        ? new Subscriber(i, "$share/" + spec.shareGroup() + "/" + spec.prefix() + "/0", 0, 1, group)
                        : new Subscriber(i, spec.prefix() + "/0", 0, 1);
                case P2P, LATENCY -> new Subscriber(i, spec.prefix() + "/" + i, i, 1);
                case CONNS, STORM -> throw new IllegalArgumentException(spec.scenario().label() + " is not a load scenario");
            };
            subscribers.add(new BenchClient(run, "mb" + runId + "s" + i, null, s));
        }
    }

    private List<BenchClient> all() {
        List<BenchClient> all = new ArrayList<>(subscribers);
        all.addAll(publishers);
        return all;
    }

    private void connect(Bootstrap bootstrap, InetSocketAddress broker, List<BenchClient> clients, long timeout)
            throws BenchException, InterruptedException {
        Connector.Outcome outcome = Connector.connectAll(bootstrap, broker, clients,
                spec.connectConcurrency(), timeout);
        if (outcome.failed() > 0) {
            throw new BenchException(outcome.failed() + " of " + clients.size() + " connections failed, first: "
                    + outcome.firstError());
        }
        if (outcome.timedOut()) {
            throw new BenchException("only " + outcome.connected() + " of " + clients.size()
                    + " connections were ready within " + spec.connectTimeoutSeconds() + " s");
        }
    }

    /** Fixes the measured window, then starts every publisher on its loop. @return the pacing tick */
    private long start() throws InterruptedException {
        long t0 = System.nanoTime();
        run.measureStart = t0 + seconds(spec.warmupSeconds());
        run.measureEnd = run.measureStart + seconds(spec.durationSeconds());
        long interval = publishers.get(0).publisher.intervalNanos;
        for (int i = 0; i < publishers.size(); i++) {
            // Paced publishers are spread evenly over one interval, not started together.
            publishers.get(i).publisher.nextDueNanos = t0 + interval * i / publishers.size();
        }
        long tick = 0;
        if (interval > 0) {
            // The timer of each loop fires about once per message due on it, within 0.1..1 ms.
            int loops = Math.min(spec.threads(), publishers.size());
            long perLoop = Math.max(1, Math.round(1e9 * loops / spec.rate()));
            tick = Math.max(TimeUnit.MICROSECONDS.toNanos(100), Math.min(TimeUnit.MILLISECONDS.toNanos(1), perLoop));
        }
        long pacingTick = tick;
        onEveryLoop(loop -> loop.start(pacingTick));
        return tick;
    }

    /**
     * Waits until every message has arrived (and, at QoS 1/2, been acknowledged), until nothing
     * has moved for a while (0.3 s at QoS 0, 2 s at QoS 1/2), or until the drain limit.
     */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + seconds(spec.drainSeconds());
        long quiet = TimeUnit.MILLISECONDS.toNanos(spec.qos() == 0 ? 300 : 2000);
        long lastProgress = System.nanoTime();
        Snapshot previous = snapshot(false);
        while (!previous.complete(spec.qos())) {
            long now = System.nanoTime();
            if (now >= deadline || now - lastProgress >= quiet) {
                return;
            }
            Thread.sleep(POLL_MILLIS);
            Snapshot current = snapshot(false);
            if (current.movedSince(previous)) {
                lastProgress = System.nanoTime();
            }
            previous = current;
        }
    }

    private Snapshot snapshot(boolean withLatency) throws InterruptedException {
        Snapshot snapshot = new Snapshot(publishers.size(), subscribers.size(), withLatency);
        List<Future<?>> parts = new ArrayList<>();
        for (LoopState loop : run.loops()) {
            parts.add(loop.loop.submit(() -> snapshot.collect(loop)));
        }
        await(parts);
        if (group != null) {
            snapshot.collectGroup(group);
        }
        return snapshot;
    }

    private void onEveryLoop(java.util.function.Consumer<LoopState> action) throws InterruptedException {
        List<Future<?>> parts = new ArrayList<>();
        for (LoopState loop : run.loops()) {
            parts.add(loop.loop.submit(() -> action.accept(loop)));
        }
        await(parts);
    }

    private static void await(List<Future<?>> futures) throws InterruptedException {
        for (Future<?> future : futures) {
            try {
                future.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("event loop task failed", e);
            }
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    static long seconds(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /**
     * Counters copied on the event loops. Each loop writes only the slots of its own clients;
     * the submitting thread reads them after the tasks' futures complete.
     */
    static final class Snapshot {
        final long[] sent;
        final long[] inflight;
        final long[] sentInWindow;
        final long[] maxLag;
        /** Per subscriber, per expected publisher: distinct messages received. */
        final long[][] unique;
        final int[] base;
        final long[] received;
        final long[] receivedInWindow;
        final long[] duplicates;
        final long[] outOfOrder;
        final long[] beyondWindow;
        final long[] unexpected;
        /** Per publisher: its in-flight window, and the MQTT 5 CONNACK receive maximum (0 for 3.1.1). */
        final long[] window;
        final long[] brokerReceiveMaximum;
        long protocolErrors;
        long strayPublishes;
        /** Publishes the broker acknowledged with an MQTT 5 failure reason code. */
        long refused;
        /** Set for a shared subscription: per publisher, distinct messages the group received. */
        long[] groupUnique;
        long groupDuplicates;
        final Histogram latency;

        Snapshot(int publishers, int subscribers, boolean withLatency) {
            sent = new long[publishers];
            inflight = new long[publishers];
            sentInWindow = new long[publishers];
            maxLag = new long[publishers];
            window = new long[publishers];
            brokerReceiveMaximum = new long[publishers];
            unique = new long[subscribers][];
            base = new int[subscribers];
            received = new long[subscribers];
            receivedInWindow = new long[subscribers];
            duplicates = new long[subscribers];
            outOfOrder = new long[subscribers];
            beyondWindow = new long[subscribers];
            unexpected = new long[subscribers];
            latency = withLatency ? new Histogram(LoopState.MAX_LATENCY_NANOS, 3) : null;
        }

        /** On {@code loop}'s thread. */
        void collect(LoopState loop) {
            long errors = 0;
            long stray = 0;
            long refusedHere = 0;
            for (BenchClient client : loop.clients) {
                errors += client.protocolErrors;
                stray += client.unexpected;
                refusedHere += client.refused;
                Publisher p = client.publisher;
                if (p != null) {
                    window[p.index] = p.window;
                    brokerReceiveMaximum[p.index] = p.brokerReceiveMaximum;
                    sent[p.index] = p.sent();
                    inflight[p.index] = p.inflight;
                    sentInWindow[p.index] = p.sentInWindow;
                    maxLag[p.index] = p.maxLagNanos;
                }
                Subscriber s = client.subscriber;
                if (s != null) {
                    long[] u = new long[s.streams.length];
                    long dup = 0, ooo = 0, beyond = 0;
                    for (int i = 0; i < u.length; i++) {
                        SeqTracker t = s.streams[i];
                        u[i] = t.unique();
                        dup += t.duplicates;
                        ooo += t.outOfOrder;
                        beyond += t.beyondWindow;
                    }
                    unique[s.id] = u;
                    base[s.id] = s.base;
                    received[s.id] = s.received;
                    receivedInWindow[s.id] = s.receivedInWindow;
                    duplicates[s.id] = dup;
                    outOfOrder[s.id] = ooo;
                    beyondWindow[s.id] = beyond;
                    unexpected[s.id] = s.unexpected;
                }
            }
            synchronized (this) {
                protocolErrors += errors;
                strayPublishes += stray;
                refused += refusedHere;
                if (latency != null) {
                    latency.add(loop.latency);
                }
            }
        }

        /** On the orchestrating thread, after {@link #collect}: the shared subscription's tallies. */
        void collectGroup(ShareGroupTally[] tallies) {
            groupUnique = new long[tallies.length];
            for (int i = 0; i < tallies.length; i++) {
                groupUnique[i] = tallies[i].unique();
                groupDuplicates += tallies[i].duplicates();
            }
        }

        boolean shared() {
            return groupUnique != null;
        }

        /**
         * Deliveries every subscriber should have had: the sent count of each publisher it follows;
         * for a shared subscription each message once, to whichever member.
         */
        long expected() {
            if (shared()) {
                return sum(sent);
            }
            long expected = 0;
            for (int s = 0; s < unique.length; s++) {
                for (int i = 0; i < unique[s].length; i++) {
                    expected += sent[base[s] + i];
                }
            }
            return expected;
        }

        long lost() {
            if (shared()) {
                long lost = 0;
                for (int i = 0; i < sent.length; i++) {
                    lost += Math.max(0, sent[i] - groupUnique[i]);
                }
                return lost;
            }
            long lost = 0;
            for (int s = 0; s < unique.length; s++) {
                for (int i = 0; i < unique[s].length; i++) {
                    lost += Math.max(0, sent[base[s] + i] - unique[s][i]);
                }
            }
            return lost;
        }

        /** Distinct messages beyond what was sent: sequence numbers never sent. */
        long excess() {
            if (shared()) {
                long excess = 0;
                for (int i = 0; i < sent.length; i++) {
                    excess += Math.max(0, groupUnique[i] - sent[i]);
                }
                return excess;
            }
            long excess = 0;
            for (int s = 0; s < unique.length; s++) {
                for (int i = 0; i < unique[s].length; i++) {
                    excess += Math.max(0, unique[s][i] - sent[base[s] + i]);
                }
            }
            return excess;
        }

        long inflight() {
            return sum(inflight);
        }

        /**
         * Deliveries of a message already delivered: to the same subscriber, or for a shared
         * subscription to any member of the group.
         */
        long duplicated() {
            return shared() ? groupDuplicates : sum(duplicates);
        }

        boolean complete(int qos) {
            return lost() == 0 && (qos == 0 || inflight() == 0);
        }

        boolean movedSince(Snapshot before) {
            return sum(received) != sum(before.received) || inflight() != before.inflight();
        }

        static long sum(long[] values) {
            long sum = 0;
            for (long v : values) {
                sum += v;
            }
            return sum;
        }

        static long max(long[] values) {
            long max = 0;
            for (long v : values) {
                max = Math.max(max, v);
            }
            return max;
        }
    }
}
