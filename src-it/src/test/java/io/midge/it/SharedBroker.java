package io.midge.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One broker process for all tests of a class, with the default configuration (or a few extra lines):
 * {@code @RegisterExtension static final SharedBroker broker = new SharedBroker();}. Tests keep
 * out of each other's way with unique client ids and topics ({@link Ids}).
 */
final class SharedBroker implements BeforeAllCallback, AfterAllCallback {

    private final String[] extraConfigLines;
    private BrokerProcess process;

    /** The default configuration plus {@code extraConfigLines} (e.g. {@code "log_type all"}). */
    SharedBroker(String... extraConfigLines) {
        this.extraConfigLines = extraConfigLines.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        BrokerProcess.RUN_NAME.set(context.getRequiredTestClass().getSimpleName());
        try {
            process = BrokerProcess.start(extraConfigLines);
        } finally {
            BrokerProcess.RUN_NAME.remove();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (process != null) {
            process.close();
        }
    }

    int port() {
        return process.port();
    }

    /** The broker process itself, for log marks and exact log lines. */
    BrokerProcess process() {
        return process;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logText() {
        return process.logText();
    }

    String tail(int lines) {
        return process.tail(lines);
    }
}
