package io.midge.core.protocol;

/**
 * The topic aliases an MQTT 5 client has set on its PUBLISHes to us, 1..max_topic_alias; they
 * live as long as the connection [MQTT-3.3.2-7]. Allocated on first use.
 */
final class InboundTopicAliases {

    /** What resolving a PUBLISH's topic came to. */
    enum Outcome { RESOLVED, ALIAS_INVALID, ALIAS_UNKNOWN }

    private final int maximum;
    private String[] topics;
    private String resolved;

    InboundTopicAliases(int maximum) {
        this.maximum = maximum;
    }

    /**
     * @param topic the PUBLISH's topic, "" when only the alias stands for it
     * @param alias its topic alias property (0 is invalid)
     */
    Outcome resolve(String topic, int alias) {
        if (alias == 0 || alias > maximum) {
            return Outcome.ALIAS_INVALID;
        }
        if (topics == null) {
            topics = new String[maximum + 1];
        }
        if (!topic.isEmpty()) {
            topics[alias] = topic;
            resolved = topic;
            return Outcome.RESOLVED;
        }
        resolved = topics[alias];
        return resolved == null ? Outcome.ALIAS_UNKNOWN : Outcome.RESOLVED;
    }


    /** The topic the last successful {@link #resolve} came to. */
    String resolved() {
        return resolved;
    }
}
