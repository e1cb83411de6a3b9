package io.midge.it;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Started as root, mosquitto and Midge become user {@code mosquitto} (or {@code nobody} when there
 * is no such user). Before each start a run's directory is given to that user, as the
 * eclipse-mosquitto image's entrypoint does with {@code /mosquitto}, so that the broker can keep
 * its store and rewrite its files there whatever the test wrote as root.
 */
final class BrokerUser {

    static final String NAME = userExists("mosquitto") ? "mosquitto" : "nobody";

    private BrokerUser() {}

    static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }

    /** Gives {@code dir} and everything in it to the broker's user; nothing to do unless root. */
    static void own(Path dir) {
        own(dir, NAME);
    }

    static void own(Path dir, String user) {
        if (!isRoot()) {
            return;
        }
        try {
            Process chown = new ProcessBuilder("chown", "-R", user + ":", dir.toString()).inheritIO().start();
            if (!chown.waitFor(30, TimeUnit.SECONDS) || chown.exitValue() != 0) {
                throw new IllegalStateException("chown -R " + user + " " + dir + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean userExists(String name) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(line -> line.startsWith(name + ":"));
        } catch (IOException e) {
            return false;
        }
    }
}
