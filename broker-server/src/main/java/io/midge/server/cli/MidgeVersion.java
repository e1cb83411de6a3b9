package io.midge.server.cli;

import picocli.CommandLine;

/** The version printed by {@code --version} and at start-up. */
public final class MidgeVersion implements CommandLine.IVersionProvider {

    public static final String VERSION = versionOf(MidgeVersion.class.getPackage().getImplementationVersion());

    private static String versionOf(String fromManifest) {
        return fromManifest == null ? "0.1.0-SNAPSHOT" : fromManifest;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"midge version " + VERSION, "MQTT 3.1.1 broker (MQTT 3.1 clients too)"};
    }
}
