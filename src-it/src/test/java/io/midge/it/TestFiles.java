package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Files the broker reads (password files, ACL files, certificates), written into a test's
 * {@code @TempDir}, and the tools that make password files.
 *
 * <p>Everything is made world-readable (directories 755, files 644): mosquitto started as root
 * drops to the {@code mosquitto} user before it reads password and ACL files, and JUnit's
 * temporary directories are 700.
 */
public final class TestFiles {

    private TestFiles() {}

    public static Path shareDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path shareFile(Path file) {
        try {
            if (Files.isDirectory(file)) {
                return shareDir(file);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code lines} to {@code file} atomically (a temporary file renamed over it), so a
     * broker re-reading the file on SIGHUP sees either the old or the new content.
     */
    public static Path write(Path file, String... lines) {
        try {
            shareDir(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, List.of(lines), StandardCharsets.UTF_8);
            shareFile(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command, fails unless it exits 0 within 30 s; returns its output (stdout and stderr). */
    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("`" + String.join(" ", cmd) + "` did not finish within 30 s:\n" + out);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("`" + String.join(" ", cmd) + "` exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Debian's {@code mosquitto_passwd -b FILE USER PASS} (with {@code -c} when {@code create}: a
     * new file holding only this user).
     */
    public static Path mosquittoPasswd(Path file, boolean create, String user, String password) {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_passwd"));
        if (create) {
            cmd.add("-c");
        }
        cmd.addAll(List.of("-b", file.toString(), user, password));
        run(cmd);
        return shareFile(file);
    }

    /** {@code java -jar midge.jar passwd [-c] -b FILE USER PASS}. */
    public static Path midgePasswd(Path file, boolean create, String user, String password) {
        List<String> cmd = new ArrayList<>(List.of("passwd"));
        if (create) {
            cmd.add("-c");
        }
        cmd.addAll(List.of("-b", file.toString(), user, password));
        run(midgeCommand(cmd));
        return shareFile(file);
    }

    /** {@code java -jar midge.jar ARGS...}: Midge's command line tools. */
    public static List<String> midgeCommand(List<String> args) {
        String jar = System.getProperty("midge.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("midge.jar not found at " + jar + " (build broker-server first)");
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        cmd.addAll(args);
        return cmd;
    }
}
