package io.midge.server.net;

/**
 * The broker cannot start: a listener cannot be opened, or a file it needs cannot be used. The
 * message is the line to log (mosquitto's wording, plus which listener) or null when the cause
 * was logged already; the exit code is the one mosquitto 2.0 exits with in the same case.
 */
public final class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public StartupException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
