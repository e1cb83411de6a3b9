package io.midge.server.cli;

/**
 * The value of {@code -p}, read as mosquitto reads it, with C's atoi: leading digits count and
 * the rest is ignored, so "1884x" is port 1884 and "abc" is 0, which is then refused.
 */
final class PortArgument {

    private PortArgument() {}

    /** @throws IllegalArgumentException with mosquitto's message, for a port outside 1..65535 */
    static int parse(String text) {
        int port = atoi(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Error: Invalid port specified (" + port + ").");
        }
        return port;
    }

    /** glibc's atoi: (int) strtol(text), which saturates at the long range before the cast truncates. */
    private static int atoi(String text) {
        String s = text.stripLeading();
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            int digit = s.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return (int) (negative ? Long.MIN_VALUE : Long.MAX_VALUE);
            }
            value = value * 10 + digit;
        }
        return (int) (negative ? -value : value);
    }
}
