package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end, for tests of the shell scripts and tools around the broker. */
final class Command {

    /** How the run went: exit code and stdout and stderr together. */
    record Outcome(int code, String output) {}

    /** The repository's root directory (src-it's parent). */
    static final Path REPO = Path.of(System.getProperty("user.dir")).resolve("..").normalize();

    private Command() {}

    static Outcome run(List<String> cmd) {
        return run(cmd, Map.of());
    }

    /** Runs {@code cmd} with {@code env} added to this process's environment; fails after 60 s. */
    static Outcome run(List<String> cmd, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("`" + String.join(" ", cmd) + "` did not finish within 60 s:\n" + out);
            }
            return new Outcome(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code name} is an executable on PATH. */
    static boolean exists(String name) {
        return run(List.of("sh", "-c", "command -v " + name)).code() == 0;
    }
}
