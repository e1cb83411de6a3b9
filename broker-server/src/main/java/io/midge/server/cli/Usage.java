package io.midge.server.cli;

import java.io.PrintStream;

/** {@code midge -h}: mosquitto's help, in its layout, for Midge's options. */
final class Usage {

    private Usage() {}

    static void print(PrintStream out) {
        out.print("midge version " + MidgeVersion.VERSION + "\n\n"
                + "midge is an MQTT v3.1.1/v3.1 broker.\n\n"
                + "Usage: midge [-c config_file] [-d] [-h] [-p port] [-v]\n"
                + "       midge passwd [-c | -D | -U] [-b] passwordfile [username [password]]\n\n"
                + " -c : specify the broker config file.\n"
                + " -d : put the broker into the background after starting.\n"
                + " -h : display this help.\n"
                + " -p : start the broker listening on the specified port.\n"
                + "      Not recommended in conjunction with the -c option.\n"
                + " -v : verbose mode - enable all logging types. This overrides\n"
                + "      any logging options given in the config file.\n"
                + " --version : print the version.\n\n"
                + "See 'midge passwd -h' for the password file tool.\n\n");
        out.flush();
    }
}
