package io.midge.core.auth;

import java.nio.file.Path;

/** Security data read from a file that can be read again, as mosquitto does on SIGHUP. */
public interface Reloadable {

    /** The file this data comes from. */
    Path file();

    /**
     * Reads {@link #file()} again and switches to its contents in one step. When the file cannot
     * be read or parsed, the data in use stays as it was and the reason is thrown.
     */
    void reload() throws AuthFileException;
}
