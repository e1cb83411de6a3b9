package io.midge.bench;

import java.net.InetSocketAddress;

/**
 * The conns scenario.
 *
 * @param brokerPid process whose VmRSS is read; 0 to find the process listening on the port, -1 for none
 * @param mqtt5     connections are made with protocol level 5
 */
record ConnsSpec(InetSocketAddress broker, int connections, int threads, int concurrency, double holdSeconds,
                 double connectTimeoutSeconds, long brokerPid, boolean mqtt5) {

    /** MQTT 3.1.1 connections. */
    ConnsSpec(InetSocketAddress broker, int connections, int threads, int concurrency, double holdSeconds,
              double connectTimeoutSeconds, long brokerPid) {
        this(broker, connections, threads, concurrency, holdSeconds, connectTimeoutSeconds, brokerPid, false);
    }

    ConnsSpec {
        if (connections < 1 || threads < 1 || concurrency < 1) {
            throw new IllegalArgumentException("connections, threads and concurrency must be at least 1");
        }
        if (holdSeconds < 0) {
            throw new IllegalArgumentException("duration must not be negative");
        }
    }
}
