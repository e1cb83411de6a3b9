package io.midge.server.config;

/** The MQTT topic rules the configuration needs (mount points and bridge topics). */
final class TopicSyntax {

    private TopicSyntax() {
    }

    /** A topic one can publish to: non-empty, no wildcards, no NUL. */
    static boolean isValidTopicName(String topic) {
        return !topic.isEmpty() && topic.chars().noneMatch(c -> c == '+' || c == '#' || c == 0);
    }

    /** A subscription filter: wildcards only as whole levels, {@code #} only as the last one. */
    static boolean isValidFilter(String filter) {
        if (filter.isEmpty() || filter.indexOf(0) >= 0) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            boolean last = i == levels.length - 1;
            if (level.contains("#") && !(level.equals("#") && last)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }
}
