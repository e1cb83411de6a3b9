package io.midge.server.cli;

/** The exit codes of mosquitto 2.0, which scripts and supervisors of a drop-in replacement may test. */
public final class ExitCodes {

    public static final int OK = 0;
    /** A listener or its TLS set-up could not be opened. */
    public static final int STARTUP_FAILED = 1;
    /** An unexpected exception, as picocli's execute reports one. */
    public static final int SOFTWARE = 1;
    /** mosquitto's MOSQ_ERR_INVAL: a bad command line, {@code -h}, or a configuration or ACL file that does not parse. */
    public static final int INVALID = 3;
    /** mosquitto's MOSQ_ERR_UNKNOWN, which it exits with when a password or ACL file cannot be opened. */
    public static final int FILE_UNREADABLE = 13;

    private ExitCodes() {}
}
