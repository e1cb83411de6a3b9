package io.midge.core.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Topic aliases we set on PUBLISHes to an MQTT 5 client, within the topic alias maximum it
 * announced: the first topics sent get an alias each, for the life of the connection, and later
 * PUBLISHes on them carry the alias and an empty topic. Topics beyond the maximum go out whole.
 */
final class OutboundTopicAliases {

    private final int maximum;
    private Map<String, Integer> aliases;

    OutboundTopicAliases(int maximum) {
        this.maximum = maximum;
    }

    /**
     * @return the alias for {@code topic}: positive when it was set before (send an empty topic),
     *         negative when it is set now (send the topic with the alias), 0 when there is none
     */
    int aliasFor(String topic) {
        if (aliases == null) {
            aliases = new HashMap<>();
        }
        Integer known = aliases.get(topic);
        if (known != null) {
            return known;
        }
        if (aliases.size() >= maximum) {
            return 0;
        }
        int alias = aliases.size() + 1;
        aliases.put(topic, alias);
        return -alias;
    }
}
