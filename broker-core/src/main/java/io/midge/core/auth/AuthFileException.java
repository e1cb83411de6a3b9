package io.midge.core.auth;

import java.nio.file.Path;

/**
 * A password or ACL file that cannot be used: unreadable, or a line that does not parse. The
 * message is one line meant for the operator, {@code FILE:LINE: reason} when a line is at fault.
 */
public final class AuthFileException extends Exception {

    private static final long serialVersionUID = 1L;

    public AuthFileException(String message) {
        super(message);
    }

    public AuthFileException(String message, Throwable cause) {
        super(message, cause);
    }

    static AuthFileException atLine(Path file, int lineNumber, String reason) {
        return new AuthFileException(file + ":" + lineNumber + ": " + reason);
    }
}
