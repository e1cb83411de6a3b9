package io.midge.server.cli;

/** The one line a store tool prints when it stops. */
final class ErrorLine {

    private ErrorLine() {}

    /** "Error: " and the exception's message, ending in one full stop. */
    static String of(Exception e) {
        String message = e.getMessage();
        return "Error: " + message + (message.endsWith(".") ? "" : ".");
    }
}
