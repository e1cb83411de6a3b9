package io.midge.server.http;

import io.midge.server.config.ListenerConfig;
import io.midge.server.net.BrokerServices;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the HTTP listeners serve from, shared by all of them.
 *
 * @param listeners       every configured listener, for {@code /api/v1/listeners}
 * @param startedAtMillis when the broker started, for uptime
 * @param reload          does what SIGHUP does
 * @param worker          where requests that walk the broker's state run, off the event loops
 * @param openStreams     live event streams now, across all HTTP listeners
 */
public record HttpContext(BrokerServices services, BrokerMetrics metrics, List<ListenerConfig> listeners, String version,
                          long startedAtMillis, Runnable reload, Executor worker, AtomicInteger openStreams) {

    /** Event streams at once, broker-wide: each holds a bounded batch of updates, and there must be a bound on them too. */
    static final int MAX_STREAMS = 16;

    public HttpContext(BrokerServices services, BrokerMetrics metrics, List<ListenerConfig> listeners, String version,
                       long startedAtMillis, Runnable reload, Executor worker) {
        this(services, metrics, listeners, version, startedAtMillis, reload, worker, new AtomicInteger());
    }

    long uptimeSeconds() {
        return (System.currentTimeMillis() - startedAtMillis) / 1000;
    }
}
