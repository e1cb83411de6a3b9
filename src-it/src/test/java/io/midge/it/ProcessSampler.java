package io.midge.it;

import io.midge.bench.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Reads a process's resident memory, open files and threads ({@link ProcFs}) once a second. */
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
        long rss = ProcFs.vmRssKiB(pid);
        if (rss < 0) {
            return; // the process is gone: the test's own checks say why
        }
        Sample s = new Sample((System.nanoTime() - startNanos) / 1e9, rss, (int) ProcFs.openFiles(pid), (int) ProcFs.threads(pid));
        synchronized (samples) {
            samples.add(s);
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
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
