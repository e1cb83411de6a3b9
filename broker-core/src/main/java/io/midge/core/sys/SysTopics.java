package io.midge.core.sys;

/** Which topics belong to the broker: clients may read them but not publish there. */
public final class SysTopics {

    /**
     * mosquitto compares the first four characters only, so {@code $SYSx/...} is the broker's
     * too; bridges' connection state is the one thing a client may write.
     */
    private static final String SYS = "$SYS";
    private static final String BRIDGE_STATE_PREFIX = "$SYS/broker/connection/";
    private static final String BRIDGE_STATE_SUFFIX = "/state";

    private SysTopics() {
    }

    /** Whether a client's PUBLISH (or will) to {@code topic} is dropped, as mosquitto's acl__check_dollar decides. */
    public static boolean closedToClients(String topic) {
        return topic.startsWith(SYS) && !isBridgeState(topic);
    }

    /** {@code $SYS/broker/connection/+/state}. */
    private static boolean isBridgeState(String topic) {
        if (!topic.startsWith(BRIDGE_STATE_PREFIX) || !topic.endsWith(BRIDGE_STATE_SUFFIX)) {
            return false;
        }
        int start = BRIDGE_STATE_PREFIX.length();
        int end = topic.length() - BRIDGE_STATE_SUFFIX.length();
        return end >= start && topic.indexOf('/', start) == end;
    }
}
