package io.midge.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Nothing the start-up warm-up's private broker does is logged: it runs on threads of its own,
 * named with {@link #THREAD_PREFIX}, whose events are dropped before any appender sees them.
 */
public final class WarmUpSilence extends TurboFilter {

    public static final String THREAD_PREFIX = "midge-warm-up";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        return Thread.currentThread().getName().startsWith(THREAD_PREFIX) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
