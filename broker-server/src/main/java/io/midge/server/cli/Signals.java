package io.midge.server.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the broker with exit code 0, as mosquitto does; the JVM's own handling
 * would run shutdown hooks and exit with 143 or 130, which supervisors read as a crash. SIGHUP
 * would end the JVM by default; here it reloads.
 */
final class Signals {

    private Signals() {}

    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("TERM"), signal -> action.run());
        Signal.handle(new Signal("INT"), signal -> action.run());
    }

    /** SIGHUP, as for mosquitto: re-read the password and ACL files. */
    static void onHangup(Runnable action) {
        Signal.handle(new Signal("HUP"), signal -> action.run());
    }
}
