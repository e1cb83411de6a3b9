package io.midge.server.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's automatic configuration, skipped when the broker itself starts: {@link LoggingSetup}
 * configures everything anyway, and the search for logback.xml files in the jar plus the default
 * console set-up took a tenth of a second of every start. Anywhere else (unit tests with their
 * logback-test.xml, the benchmark) Logback configures itself as usual.
 */
public final class BrokerLogConfigurator extends ContextAwareBase implements Configurator {

    private static volatile boolean broker;

    /** Called by the broker's main before anything logs. */
    public static void claim() {
        broker = true;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        return broker ? ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY : ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
}
