package io.midge.bench;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/** Netty settings of the load generator, applied before Netty is first used. */
final class NettySetup {

    private static volatile boolean done;

    private NettySetup() {}

    static void init() {
        if (done) {
            return;
        }
        // Netty would log through SLF4J, and Logback (on the class path for the broker's classes)
        // logs DEBUG to the console when it has no configuration; java.util.logging prints
        // warnings and above only.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        // The leak detector samples buffers and records stack traces on the event loops: an
        // allocation the generator does not need (-Dio.netty.leakDetection.level turns it back on).
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        done = true;
    }
}
