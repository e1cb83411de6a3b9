package io.midge.it;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Unique client ids and topics, so tests can share one broker without seeing each other's traffic. */
public final class Ids {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);

    private Ids() {}

    /** A client id of at most 23 characters (the length every MQTT 3.1.1 server must accept). */
    public static String client(String prefix) {
        String p = prefix.length() > 10 ? prefix.substring(0, 10) : prefix;
        return p + "-" + RUN + "-" + Integer.toString(COUNTER.incrementAndGet(), 36);
    }

    /** A topic prefix no other test uses, e.g. {@code it/ab1/7}. */
    public static String topic(String prefix) {
        return "it/" + RUN + "/" + prefix + "/" + Integer.toString(COUNTER.incrementAndGet(), 36);
    }
}
