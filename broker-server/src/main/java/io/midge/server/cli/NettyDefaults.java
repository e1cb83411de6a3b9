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
    }
}
