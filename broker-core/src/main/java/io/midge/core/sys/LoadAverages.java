package io.midge.core.sys;

import java.util.Locale;

/** The 1, 5 and 15 minute {@link LoadAverage}s of one counter, under {@code $SYS/broker/load/<name>/}. */
final class LoadAverages {

    private static final int[] WINDOW_MINUTES = {1, 5, 15};

    private final String[] topics = new String[WINDOW_MINUTES.length];
    private final LoadAverage[] averages = new LoadAverage[WINDOW_MINUTES.length];
    private long lastCount;

    LoadAverages(String name) {
        for (int i = 0; i < WINDOW_MINUTES.length; i++) {
            topics[i] = "$SYS/broker/load/" + name + "/" + WINDOW_MINUTES[i] + "min";
            averages[i] = new LoadAverage(WINDOW_MINUTES[i] * 60.0);
        }
    }

    /** Starts counting from {@code count}: mosquitto's first update publishes 0.00 whatever happened before it. */
    void start(long count) {
        lastCount = count;
    }

    int windows() {
        return WINDOW_MINUTES.length;
    }

    String topic(int window) {
        return topics[window];
    }

    /** Takes the events since the last update into the average of one window; see {@link LoadAverage#update}. */
    boolean update(int window, long count, double elapsedSeconds) {
        return averages[window].update(count - lastCount, elapsedSeconds);
    }

    /** Call after every window took this interval's events. */
    void endInterval(long count) {
        lastCount = count;
    }

    String formatted(int window) {
        return format(averages[window].value());
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
