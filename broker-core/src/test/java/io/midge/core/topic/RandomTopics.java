package io.midge.core.topic;

import java.util.Random;

/**
 * Random topic names and filters over a tiny alphabet of levels, so that filters and topics
 * collide often and every rule (empty levels, '$', wildcards) gets exercised.
 */
public final class RandomTopics {

    private static final String[] TOPIC_LEVELS = {"a", "b", "c", "", "$s"};
    private static final String[] FILTER_LEVELS = {"a", "b", "c", "", "$s", "+", "+", "#"};

    private RandomTopics() {
    }

    public static String topic(Random random) {
        return join(random, TOPIC_LEVELS);
    }

    public static String filter(Random random) {
        return join(random, FILTER_LEVELS);
    }

    private static String join(Random random, String[] alphabet) {
        int depth = 1 + random.nextInt(5);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            String level = alphabet[random.nextInt(alphabet.length)];
            if (i > 0) {
                joined.append('/');
            }
            joined.append(level);
            if (level.equals("#")) {
                break;
            }
        }
        // one empty level would be the empty string, which is neither a topic nor a filter
        return joined.isEmpty() ? "/" : joined.toString();
    }
}
