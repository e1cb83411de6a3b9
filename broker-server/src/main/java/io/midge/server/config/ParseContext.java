package io.midge.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What every option handler may need besides its own line: path resolution and warnings. */
final class ParseContext {

    private final Path workingDirectory;
    private final List<String> warnings = new ArrayList<>();

    ParseContext(Path workingDirectory) {
        this.workingDirectory = workingDirectory.toAbsolutePath();
    }

    /** Resolves like mosquitto does: relative paths are taken from the process working directory. */
    Path resolve(String path) {
        return workingDirectory.resolve(path).normalize();
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    void warn(SourceLocation location, String text) {
        warnings.add(location + ": " + text);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }
}
