package io.midge.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The storm scenario: a broker started {@code startAfterSeconds} before N clients connect at once,
 * as after every restart when all devices reconnect.
 *
 * @param brokerCommand  shell command that starts the broker ({port} replaced), or null for a running broker
 * @param brokerLog      where the started broker's output goes; null discards it
 * @param window         handshakes (TCP connect + CONNECT/CONNACK) outstanding at a time
 * @param perSource      connections per loopback source address (127.0.x.y), so that no source runs out of ports
 * @param selfWarmup     handshakes the generator makes against a stub of its own before the broker starts
 */
record StormSpec(InetSocketAddress broker, String brokerCommand, Path brokerLog, int connections,
                 double startAfterSeconds, int window, int threads, double holdSeconds,
                 double connectTimeoutSeconds, int perSource, int selfWarmup, boolean mqtt5) {

    StormSpec {
        if (connections < 0 || window < 1 || threads < 1 || perSource < 1 || selfWarmup < 0) {
            throw new IllegalArgumentException(
                    "connections and self warm-up must not be negative; window, threads and per-source at least 1");
        }
        if (startAfterSeconds < 0 || holdSeconds < 0 || connectTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("times must not be negative (the connect timeout above 0)");
        }
    }
}
