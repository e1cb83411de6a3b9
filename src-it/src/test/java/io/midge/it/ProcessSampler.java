package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a process's resident memory, open files and threads from /proc once a second. */
final class ProcessSampler implements AutoCloseable {

    /** One reading, {@code seconds} after the sampler started. */
    record Sample(double seconds, long rssKib, int openFiles, int threads) {}

    private final long pid;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-sampler");
        t.setDaemon(true);
        return t;
    });

    ProcessSampler(long pid) {
        this.pid = pid;
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        try {
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            int files;
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                files = (int) fds.count();
            }
            Sample s = new Sample((System.nanoTime() - startNanos) / 1e9, rss, files, threads);
            synchronized (samples) {
                samples.add(s);
            }
        } catch (IOException | RuntimeException e) {
            // The process is gone: the test's own checks say why.
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The samples taken from {@code fromSeconds} on. */
    List<Sample> since(double fromSeconds) {
        return samples().stream().filter(s -> s.seconds() >= fromSeconds).toList();
    }

    void writeCsv(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add("seconds,rss_kib,open_files,threads");
        for (Sample s : samples()) {
            lines.add(String.format("%.1f,%d,%d,%d", s.seconds(), s.rssKib(), s.openFiles(), s.threads()));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
