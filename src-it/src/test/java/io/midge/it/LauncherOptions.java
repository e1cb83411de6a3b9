package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The launchers' JVM options, read from {@code conf/jvm.options} (the file they all pass to
 * {@code java @FILE}), so tests run the broker as users do.
 */
final class LauncherOptions {

    static final Path FILE = Path.of(System.getProperty("user.dir")).resolve("../conf/jvm.options").normalize();

    static final String DEFAULT = read();

    private static String archive;

    private LauncherOptions() {}

    /**
     * The class-data archive options ./midge starts {@code jar} with (packaging/midge-archive,
     * in broker-server/target/class-archive, made on first use: one training run for the whole
     * test run, and every broker start after it is about half a second faster). Empty with
     * -Dmidge.archive=false, or when the archive cannot be made.
     */
    static synchronized String archive(Path jar) {
        if (archive == null) {
            archive = "";
            if (!"false".equals(System.getProperty("midge.archive"))) {
                Path script = FILE.getParent().resolveSibling("packaging/midge-archive");
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Path dir = jar.toAbsolutePath().getParent().resolve("class-archive");
                List<String> option = List.of("sh", script.toString(), "option", java, jar.toAbsolutePath().toString(),
                        dir.toString());
                archive = Command.run(option).output().trim();
                if (archive.isEmpty()) {
                    Command.run(List.of("sh", script.toString(), "create", java, jar.toAbsolutePath().toString(),
                            FILE.toString(), dir.toString()));
                    archive = Command.run(option).output().trim();
                }
            }
        }
        return archive;
    }

    private static String read() {
        try {
            return Files.readAllLines(FILE).stream()
                    .map(line -> line.replaceFirst("#.*", "").trim())
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.joining(" "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
