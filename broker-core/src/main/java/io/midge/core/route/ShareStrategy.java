package io.midge.core.route;

import io.midge.core.message.Message;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Which member of a shared subscription group a message goes to. Each strategy only names the
 * member to try first; the group then takes the first eligible member from there on, preferring
 * connected ones (see {@link SharedGroup#pick}).
 */
public enum ShareStrategy {

    /** The default: members take turns, so N connected members each get every Nth message. */
    ROUND_ROBIN {
        @Override
        int firstChoice(int turn, Message message) {
            return turn;
        }
    },

    /** A member chosen at random for each message. */
    RANDOM {
        @Override
        int firstChoice(int turn, Message message) {
            return ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
        }
    },

    /**
     * The same member for every message of a topic while the group does not change, so that a
     * topic's messages are consumed in order by one member.
     */
    TOPIC_HASH {
        @Override
        int firstChoice(int turn, Message message) {
            return message.topic().hashCode();
        }
    },

    /** The same member for every message of a publisher while the group does not change. */
    PUBLISHER_HASH {
        @Override
        int firstChoice(int turn, Message message) {
            return message.origin() == null ? 0 : message.origin().clientId().hashCode();
        }
    };

    /**
     * @param turn a counter of the group's picks, one more at each call
     * @return any int; the group reduces it modulo its member count
     */
    abstract int firstChoice(int turn, Message message);
}
