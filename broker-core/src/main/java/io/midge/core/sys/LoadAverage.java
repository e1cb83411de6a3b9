package io.midge.core.sys;

/**
 * One of mosquitto's load/.../1min|5min|15min figures: a per-minute rate smoothed with an
 * exponential decay over its window, as Unix load averages are. Each update moves the average
 * towards the rate of the last interval by {@code 1 - exp(-elapsed / window)}.
 */
final class LoadAverage {

    /** Changes smaller than this are not published, as they would not show with two decimals. */
    private static final double VISIBLE_CHANGE = 0.01;

    private final double windowSeconds;
    private double value;

    LoadAverage(double windowSeconds) {
        this.windowSeconds = windowSeconds;
    }

    /**
     * @param count          events in the last interval
     * @param elapsedSeconds length of the last interval
     * @return whether the average moved enough to be published again
     */
    boolean update(long count, double elapsedSeconds) {
        double perMinute = count * 60.0 / elapsedSeconds;
        double next = perMinute + Math.exp(-elapsedSeconds / windowSeconds) * (value - perMinute);
        boolean visible = Math.abs(next - value) >= VISIBLE_CHANGE;
        value = next;
        return visible;
    }

    double value() {
        return value;
    }
}
