package io.midge.server.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the broker with exit code 0, as mosquitto does; the JVM's own handling
 * would run shutdown hooks and exit with 143 or 130, which supervisors read as a crash.
 */
final class Signals {

    private Signals() {}

    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("TERM"), signal -> action.run());
        Signal.handle(new Signal("INT"), signal -> action.run());
    }
}
