package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A small SVG line chart of resident memory over time, one line per soak run. */
final class RssChart {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 320;
    private static final int MARGIN = 50;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    private RssChart() {
    }

    static void write(Path file, String title, Map<String, List<ProcessSampler.Sample>> runs) {
        double maxSeconds = 1;
        double maxMib = 1;
        for (List<ProcessSampler.Sample> samples : runs.values()) {
            for (ProcessSampler.Sample s : samples) {
                maxSeconds = Math.max(maxSeconds, s.seconds());
                maxMib = Math.max(maxMib, s.rssKib() / 1024.0);
            }
        }
        maxMib = Math.ceil(maxMib / 50) * 50;
        List<String> svg = new ArrayList<>();
        svg.add(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "font-family='sans-serif' font-size='12'>", WIDTH, HEIGHT));
        svg.add("<rect width='100%' height='100%' fill='white'/>");
        svg.add(String.format(Locale.ROOT, "<text x='%d' y='20' font-size='14'>%s</text>", MARGIN, title));
        int plotW = WIDTH - 2 * MARGIN;
        int plotH = HEIGHT - 2 * MARGIN;
        svg.add(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>",
                MARGIN, MARGIN, plotW, plotH));
        for (int i = 0; i <= 5; i++) {
            double mib = maxMib * i / 5;
            double y = MARGIN + plotH - plotH * i / 5.0;
            svg.add(String.format(Locale.ROOT, "<text x='5' y='%.0f'>%.0f MiB</text>", y + 4, mib));
            double seconds = maxSeconds * i / 5;
            double x = MARGIN + plotW * i / 5.0;
            svg.add(String.format(Locale.ROOT, "<text x='%.0f' y='%d' text-anchor='middle'>%.0f s</text>",
                    x, HEIGHT - MARGIN + 16, seconds));
        }
        int line = 0;
        for (Map.Entry<String, List<ProcessSampler.Sample>> run : runs.entrySet()) {
            StringBuilder points = new StringBuilder();
            for (ProcessSampler.Sample s : run.getValue()) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", MARGIN + plotW * s.seconds() / maxSeconds,
                        MARGIN + plotH - plotH * (s.rssKib() / 1024.0) / maxMib));
            }
            String colour = COLOURS[line % COLOURS.length];
            svg.add("<polyline fill='none' stroke='" + colour + "' stroke-width='1.5' points='" + points + "'/>");
            svg.add(String.format(Locale.ROOT, "<text x='%d' y='%d' fill='%s'>%s</text>",
                    MARGIN + 10, MARGIN + 16 + 16 * line, colour, run.getKey()));
            line++;
        }
        svg.add("</svg>");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, svg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
