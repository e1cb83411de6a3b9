package io.midge.server.cli;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Netty settings a broker needs before Netty first loads. */
final class NettyDefaults {

    private NettyDefaults() {}

    /**
     * Netty names channels after a machine id it derives from a network interface's hardware
     * address; where there is none (a container, a network namespace) it warns at start-up and
     * uses random bytes. Random bytes from the start do the same without the warning, and
     * without scanning the interfaces; an operator's own -Dio.netty.machineId wins.
     */
    static void apply() {
        if (System.getProperty("io.netty.machineId") == null) {
            byte[] id = new byte[8];
            ThreadLocalRandom.current().nextBytes(id);
            System.setProperty("io.netty.machineId", HexFormat.ofDelimiter(":").formatHex(id));
        }
        // Netty 4.2 registers Flight Recorder events for buffer allocations on the first
        // allocation: that loads jdk.jfr and generates classes, 0.3 s before the first CONNACK
        // after a start, for events nobody records. -Dio.netty.jfr.enabled=true turns them back on.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
    }
}
