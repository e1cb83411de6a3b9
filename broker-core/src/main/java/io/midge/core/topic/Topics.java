package io.midge.core.topic;

/**
 * Topic name and topic filter rules of MQTT 3.1.1 (sections 1.5.3 and 4.7).
 *
 * <p>A topic is a sequence of levels separated by {@code '/'}; levels may be empty, so
 * {@code "/a"}, {@code "a/"} and {@code "a//b"} each have one empty level.
 */
public final class Topics {

    /** Largest UTF-8 encoded length of an MQTT string (its length prefix is two bytes). */
    public static final int MAX_UTF8_LENGTH = 65_535;

    /** Separates the levels of a topic name or filter. */
    public static final char LEVEL_SEPARATOR = '/';
    /** Filter level matching exactly one topic level. */
    public static final char SINGLE_LEVEL_WILDCARD = '+';
    /** Last filter level matching its parent level and any number of levels below it. */
    public static final char MULTI_LEVEL_WILDCARD = '#';

    /**
     * The most {@code '/'} separators a topic name or filter may have: mosquitto's
     * TOPIC_HIERARCHY_LIMIT, which keeps matching (one level per step) cheap for every client.
     */
    public static final int HIERARCHY_LIMIT = 200;

    /**
     * mosquitto's namespace for talking to the broker itself (its dynamic security plugin listens
     * there): messages published to it are never delivered to subscribers.
     */
    public static final String CONTROL_PREFIX = "$CONTROL/";

    private Topics() {
    }

    /** Whether the topic name or filter has at most {@value #HIERARCHY_LIMIT} separators. */
    public static boolean withinHierarchyLimit(String topicOrFilter) {
        int separators = 0;
        for (int i = 0; i < topicOrFilter.length(); i++) {
            if (topicOrFilter.charAt(i) == LEVEL_SEPARATOR && ++separators > HIERARCHY_LIMIT) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code name} may be used as the topic of a PUBLISH packet or a will message: at
     * least one character, no wildcard characters, no U+0000, and at most
     * {@value #MAX_UTF8_LENGTH} bytes when encoded as well-formed UTF-8.
     */
    public static boolean isValidTopicName(String name) {
        if (!isValidMqttString(name)) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == SINGLE_LEVEL_WILDCARD || c == MULTI_LEVEL_WILDCARD) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code filter} may be used in SUBSCRIBE or UNSUBSCRIBE: the string rules of
     * {@link #isValidTopicName} except that wildcards are allowed where the protocol puts them:
     * {@code '+'} only as a whole level, {@code '#'} only as the whole last level.
     */
    public static boolean isValidTopicFilter(String filter) {
        if (!isValidMqttString(filter)) {
            return false;
        }
        int last = filter.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = filter.charAt(i);
            boolean startsLevel = i == 0 || filter.charAt(i - 1) == LEVEL_SEPARATOR;
            if (c == MULTI_LEVEL_WILDCARD && !(startsLevel && i == last)) {
                return false;
            }
            if (c == SINGLE_LEVEL_WILDCARD
                    && !(startsLevel && (i == last || filter.charAt(i + 1) == LEVEL_SEPARATOR))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reference matcher: whether {@code filter} matches {@code topic}, including the rule that
     * a topic starting with {@code '$'} is not matched by a filter whose first level is a
     * wildcard. Written for clarity, not speed; the broker's hot path is
     * {@link SubscriptionTrie}.
     *
     * @param filter a valid topic filter
     * @param topic  a valid topic name
     */
    public static boolean matches(String filter, String topic) {
        if (isReservedTopic(topic) && startsWithWildcard(filter)) {
            return false;
        }
        String[] filterLevels = levels(filter);
        String[] topicLevels = levels(topic);
        for (int i = 0; i < filterLevels.length; i++) {
            String level = filterLevels[i];
            if (level.equals("#")) {
                // "#" also matches the parent level: "sport/#" matches "sport"
                return true;
            }
            if (i == topicLevels.length) {
                return false;
            }
            if (!level.equals("+") && !level.equals(topicLevels[i])) {
                return false;
            }
        }
        return filterLevels.length == topicLevels.length;
    }

    /**
     * Whether the topic is one that filters starting with a wildcard must not match: by
     * convention, names starting with {@code '$'} (such as {@code $SYS/...}) are the server's.
     */
    public static boolean isReservedTopic(String topic) {
        return !topic.isEmpty() && topic.charAt(0) == '$';
    }

    /** The levels of a topic name or filter, including empty ones: {@code "/a/"} has three. */
    public static String[] levels(String topicOrFilter) {
        return topicOrFilter.split("/", -1);
    }

    private static boolean startsWithWildcard(String filter) {
        char first = filter.charAt(0);
        return first == SINGLE_LEVEL_WILDCARD || first == MULTI_LEVEL_WILDCARD;
    }

    /**
     * MQTT string rules shared by names and filters. The spec forbids U+0000 and encodings of
     * surrogate code points; a Java string can only hold the latter as an unpaired surrogate,
     * which has no UTF-8 encoding, so those are rejected too.
     */
    private static boolean isValidMqttString(String s) {
        if (s.isEmpty()) {
            return false;
        }
        long utf8Length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (c < 0x80) {
                utf8Length += 1;
            } else if (c < 0x800) {
                utf8Length += 2;
            } else if (!Character.isSurrogate(c)) {
                utf8Length += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8Length += 4;
                i++;
            } else {
                return false;
            }
        }
        return utf8Length <= MAX_UTF8_LENGTH;
    }
}
