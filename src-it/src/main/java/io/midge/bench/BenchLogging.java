package io.midge.bench;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/**
 * Netty would log through SLF4J, and Logback (on the class path for the broker's classes) logs
 * DEBUG to the console when it has no configuration. The benchmark's own output is its result,
 * so Netty gets java.util.logging, which prints warnings and above only.
 */
final class BenchLogging {

    private static volatile boolean done;

    private BenchLogging() {}

    static void quiet() {
        if (!done) {
            InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
            done = true;
        }
    }
}
