package io.midge.core.session;

import io.midge.core.message.Message;
import io.midge.core.route.SharedGroup;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The QoS 1 and 2 messages a session holds because a shared subscription group picked it, by
 * message id, so that they can go back to the group when the session's client leaves before
 * receiving them (what mosquitto does not do, eclipse/mosquitto#2662: a member that vanishes
 * takes its share of the messages with it until it returns, if ever).
 *
 * <p>Owned by the session's loop. A message held twice by one session (through a group and a
 * direct subscription) is remembered once: the first of its copies to finish forgets it, and at
 * most one copy is handed back.
 */
final class SharedDeliveries {

    private final Map<Long, SharedGroup> groupByMessageId = new HashMap<>();

    void remember(long messageId, SharedGroup group) {
        groupByMessageId.put(messageId, group);
    }

    void forget(long messageId) {
        groupByMessageId.remove(messageId);
    }

    /**
     * Hands back to their groups the remembered messages not yet received by the client: in
     * flight awaiting PUBACK or PUBREC (after PUBREC the client has the message: its PUBREL must
     * complete here), then queued, so in their order. Each handed back message leaves the session
     * (and the store) after the group has given it to another member, so a crash in between
     * duplicates rather than loses it; one no other connected member can take stays.
     *
     * @param doneWith removes a message from the session's store entries
     */
    void handBack(Session from, OutboundQueue queue, InflightWindow inflight, BiConsumer<Message, Boolean> doneWith) {
        if (groupByMessageId.isEmpty()) {
            return;
        }
        inflight.removeIf(entry -> entry.state != InflightWindow.State.AWAIT_PUBCOMP
                && handedBack(from, entry.message, entry.stored, doneWith));
        queue.removeIf(queued -> handedBack(from, queued.message(), queued.stored(), doneWith));
    }

    private boolean handedBack(Session from, Message message, boolean stored, BiConsumer<Message, Boolean> doneWith) {
        SharedGroup group = groupByMessageId.remove(message.id());
        if (group == null) {
            return false;
        }
        if (!group.handBack(from, message)) {
            groupByMessageId.put(message.id(), group);
            return false;
        }
        doneWith.accept(message, stored);
        return true;
    }
}
