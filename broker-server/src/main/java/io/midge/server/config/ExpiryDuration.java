package io.midge.server.config;

import java.time.Duration;
import java.util.Map;

/**
 * mosquitto's duration syntax for {@code persistent_client_expiration}: a number and a unit
 * letter. mosquitto counts a month as 30 days and a year as 365 days, and so do we.
 */
final class ExpiryDuration {

    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;

    private static final Map<Character, Long> SECONDS_PER_UNIT = Map.of(
            'h', HOUR,
            'd', DAY,
            'w', 7 * DAY,
            'm', 30 * DAY,
            'y', 365 * DAY);

    private ExpiryDuration() {
    }

    /**
     * @throws IllegalArgumentException unless the text is 1 to 9 digits followed by h, d, w, m or y
     *     (nine digits keep even a count of years far from overflowing)
     */
    static Duration parse(String text) {
        if (text.length() < 2) {
            throw new IllegalArgumentException("too short: " + text);
        }
        Long unit = SECONDS_PER_UNIT.get(text.charAt(text.length() - 1));
        String digits = text.substring(0, text.length() - 1);
        if (unit == null || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 9) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long amount = Long.parseLong(digits);
        if (amount == 0) {
            throw new IllegalArgumentException("duration must be positive: " + text);
        }
        return Duration.ofSeconds(amount * unit);
    }
}
