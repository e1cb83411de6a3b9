package io.midge.bench.jmh;

import io.midge.core.topic.Matches;
import io.midge.core.topic.SubscriptionTrie;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cost of routing one PUBLISH through the subscription trie with many subscribers, as an
 * IoT deployment has them: per-device exact subscriptions, per-site wildcards and a few '#'.
 *
 * <p>Run: {@code java -cp src-it/target/midge-bench.jar org.openjdk.jmh.Main TrieMatch}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrieMatchBenchmark {

    private static final int SITES = 100;
    private static final int DEVICES_PER_SITE = 1000;

    @Param({"100000"})
    int subscriptions;

    private final SubscriptionTrie<Integer> trie = new SubscriptionTrie<>();
    private final Matches<Integer> matches = new Matches<>();
    private final SplittableRandom random = new SplittableRandom(42);
    private String[] topics;
    private int next;

    @Setup(Level.Trial)
    public void subscribe() {
        for (int i = 0; i < subscriptions; i++) {
            int site = i % SITES;
            int device = (i / SITES) % DEVICES_PER_SITE;
            String filter = switch (i % 10) {
                case 0 -> "site/" + site + "/+/temperature";
                case 1 -> "site/" + site + "/device-" + device + "/#";
                case 2 -> i % 1000 == 2 ? "#" : "site/+/device-" + device + "/status";
                default -> "site/" + site + "/device-" + device + "/temperature";
            };
            trie.subscribe(filter, i, i % 3);
        }
        topics = new String[4096];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = "site/" + random.nextInt(SITES) + "/device-" + random.nextInt(DEVICES_PER_SITE)
                    + (random.nextBoolean() ? "/temperature" : "/status");
        }
    }

    @Benchmark
    public int matchOneTopic() {
        matches.clear();
        trie.match(topics[next++ & (topics.length - 1)], matches);
        return matches.size();
    }
}
