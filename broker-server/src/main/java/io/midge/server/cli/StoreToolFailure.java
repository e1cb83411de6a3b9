package io.midge.server.cli;

/** Why a store tool stops: the one line printed for the user, and the exit code. */
final class StoreToolFailure extends Exception {
    private static final long serialVersionUID = 1L;

    final int exitCode;

    StoreToolFailure(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** {@code message} as the line printed for the user: after "Error: ", ending in one full stop. */
    static String errorLine(Exception e) {
        String message = e.getMessage();
        return "Error: " + message + (message.endsWith(".") ? "" : ".");
    }
}
