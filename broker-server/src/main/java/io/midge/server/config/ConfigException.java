package io.midge.server.config;

/**
 * A configuration file could not be read or contains an invalid option.
 *
 * <p>The message is ready to show to the user; for problems tied to a line it has the form
 * {@code FILE:LINE: reason}.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with an already formatted message. */
    public ConfigException(String message) {
        super(message);
    }

    /** Creates an exception with an already formatted message and the underlying cause. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    static ConfigException at(SourceLocation location, String reason) {
        return new ConfigException(location + ": " + reason);
    }
}
