package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The soak (docs/soak.md): {@link SoakWorkload} for {@code soak.seconds} against the real broker,
 * without and with persistence. After a warm-up of a third of the run, resident memory, open files
 * and threads must stay where they were, and every QoS 1 and 2 message published must reach both
 * persistent subscribers (QoS 2 exactly once). Opt-in: {@code ./soak SECONDS}.
 */
@EnabledIfSystemProperty(named = "soak.seconds", matches = "[0-9]+")
class SoakTest {

    private static final int SECONDS = Integer.getInteger("soak.seconds", 0);
    private static final Path OUT = Path.of("target", "soak");
    /** What the memory may grow by after warm-up: a tenth, and 16 MiB for the heap's last resizing. */
    private static final double RSS_GROWTH = 1.10;
    private static final long RSS_SLACK_KIB = 16 * 1024;
    private static final Map<String, List<ProcessSampler.Sample>> RUNS = new LinkedHashMap<>();

    @ParameterizedTest(name = "persistence {0}")
    @ValueSource(booleans = {false, true})
    void memoryFilesAndThreadsStayFlatAndNoAcknowledgedMessageIsLost(boolean persistence) throws Exception {
        String name = persistence ? "persistence" : "memory";
        List<String> conf = new ArrayList<>(List.of("max_queued_messages 5000"));
        if (persistence) {
            conf.addAll(List.of("persistence true", "persistence_location ./"));
        }
        String prefix = Ids.client("soak");
        try (BrokerProcess broker = BrokerProcess.start(conf.toArray(String[]::new));
             ProcessSampler sampler = new ProcessSampler(broker.pid());
             SoakWorkload load = new SoakWorkload(broker.port(), prefix)) {
            load.start();
            long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
            while (System.nanoTime() < end && broker.isAlive() && load.failure() == null) {
                Thread.sleep(1000); // the soak's length, not a wait for a condition
            }
            assertTrue(broker.isAlive(), "the broker died:\n" + broker.tail(20));
            assertNull(load.failure(), "a client failed");
            List<ProcessSampler.Sample> samples = sampler.samples();
            int[] published = load.stopPublishing();
            Await.until(Duration.ofSeconds(60), () -> load.steady.missing(published) == 0
                            && load.roamer.missing(published) == 0,
                    () -> "QoS 1/2 messages missing: steady " + load.steady.missing(published)
                            + ", roamer " + load.roamer.missing(published) + " of " + Arrays.toString(published));
            assertEquals(0, load.steady.qos2Duplicates(), "QoS 2 messages delivered twice to the steady subscriber");

            RUNS.put(name, samples);
            sampler.writeCsv(OUT.resolve("soak-" + name + ".csv"));
            RssChart.write(OUT.resolve("soak-rss.svg"), "Midge resident memory under the soak (" + SECONDS + " s)", RUNS);
            String summary = summary(name, samples, published, load);
            Files.createDirectories(OUT);
            Files.writeString(OUT.resolve("summary.txt"), summary + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.println(summary);

            assertFlat("resident memory (KiB)", samples, ProcessSampler.Sample::rssKib, RSS_GROWTH, RSS_SLACK_KIB);
            assertFlat("open files", samples, ProcessSampler.Sample::openFiles, 1.0, 10);
            assertFlat("threads", samples, ProcessSampler.Sample::threads, 1.0, 4);
            assertTrue(broker.logText().contains("Outgoing messages are being dropped for client " + prefix + "-stalled."),
                    "the subscriber that never reads lost messages without a word");
            assertFalse(broker.logText().contains("Exception"), "the log holds an exception:\n" + broker.tail(40));
        }
    }

    /** The most of the last third is at most {@code factor} times, plus {@code slack}, the most of the middle third. */
    private static void assertFlat(String what, List<ProcessSampler.Sample> samples, ToLongFunction<ProcessSampler.Sample> value,
                                   double factor, long slack) {
        double third = SECONDS / 3.0;
        long middle = max(samples, value, third, 2 * third);
        long last = max(samples, value, 2 * third, SECONDS + 1);
        assertTrue(middle > 0 && last > 0, "no samples of " + what);
        assertTrue(last <= middle * factor + slack, what + " grew after warm-up: " + middle + " then " + last);
    }

    private static long max(List<ProcessSampler.Sample> samples, ToLongFunction<ProcessSampler.Sample> value,
                            double from, double to) {
        return samples.stream().filter(s -> s.seconds() >= from && s.seconds() < to).mapToLong(value).max().orElse(0);
    }

    private static String summary(String name, List<ProcessSampler.Sample> samples, int[] published, SoakWorkload load) {
        ProcessSampler.Sample first = samples.get(0);
        ProcessSampler.Sample last = samples.get(samples.size() - 1);
        long peak = samples.stream().mapToLong(ProcessSampler.Sample::rssKib).max().orElse(0);
        return String.format("soak %s %d s: published %d, steady got %d, roamer got %d, %d churn connections;"
                        + " RSS %d -> %d MiB (peak %d), open files %d -> %d, threads %d -> %d",
                name, SECONDS, Arrays.stream(published).sum(), load.steady.received(), load.roamer.received(),
                load.churned(), first.rssKib() / 1024, last.rssKib() / 1024, peak / 1024, first.openFiles(),
                last.openFiles(), first.threads(), last.threads());
    }
}
