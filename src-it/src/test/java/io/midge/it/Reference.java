package io.midge.it;

/**
 * Where Debian's mosquitto 2.0.11 (the reference broker of {@code -Dit.broker=mosquitto}) is known
 * to differ from what Midge must do. Tests state both outcomes explicitly, Midge's first, so the
 * reference run still checks everything else the test does; each use names the reason.
 */
public final class Reference {

    private Reference() {}

    /** {@code midge} when the suite runs against Midge, {@code mosquitto2011} against mosquitto 2.0.11. */
    public static <T> T expect(T midge, T mosquitto2011) {
        return BrokerProcess.isMosquitto() ? mosquitto2011 : midge;
    }
}
