package io.midge.core.store.mosquitto;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.message.Message;
import io.midge.core.message.MessageIds;
import io.midge.core.message.Origin;
import io.midge.core.store.StoreContents;
import io.midge.core.store.StoredOutbound;
import io.midge.core.store.StoredSession;
import io.midge.core.store.mosquitto.MosquittoRecords.Client;
import io.midge.core.store.mosquitto.MosquittoRecords.ClientMessage;
import io.midge.core.store.mosquitto.MosquittoRecords.Contents;
import io.midge.core.store.mosquitto.MosquittoRecords.StoredMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns what a mosquitto file holds into what Midge stores: retained messages, and persistent
 * sessions with their subscriptions, outbound messages and inbound QoS 2 messages.
 *
 * <p>Outbound messages keep mosquitto's order: Midge orders a session's entries by message id,
 * and ids are handed out here in the order of mosquitto's store ids, which grow with time.
 * QoS 1 messages in flight become queued (they are resent either way, and a QoS 1 packet id need
 * not survive); QoS 2 ones keep their packet id and whether PUBREC came, so that the exchange
 * resumes where it stopped.
 */
final class MosquittoDbMapping {

    // mosquitto's enum mosquitto_msg_state
    private static final int PUBLISH_QOS0 = 1;
    private static final int PUBLISH_QOS1 = 2;
    private static final int WAIT_FOR_PUBACK = 3;
    private static final int PUBLISH_QOS2 = 4;
    private static final int WAIT_FOR_PUBREC = 5;
    private static final int RESEND_PUBREL = 6;
    private static final int WAIT_FOR_PUBREL = 7;
    private static final int WAIT_FOR_PUBCOMP = 9;
    private static final int SEND_PUBREC = 10;
    private static final int QUEUED = 11;

    /** A session being assembled from the chunks that name its client. */
    private static final class SessionParts {
        long disconnectedAtMillis;
        final Map<String, Integer> subscriptions = new LinkedHashMap<>();
        final Map<Long, StoredOutbound> outbound = new TreeMap<>();
        final Map<Integer, Message> inbound = new TreeMap<>();

        SessionParts(long disconnectedAtMillis) {
            this.disconnectedAtMillis = disconnectedAtMillis;
        }
    }

    private final Contents file;
    private final long savedAtMillis;
    private final long nowMillis;
    private final List<String> notes = new ArrayList<>();
    private final Map<Long, Message> messages = new HashMap<>();
    private final Map<String, SessionParts> sessions = new TreeMap<>();

    /**
     * @param savedAtMillis when mosquitto wrote the file: the time its sessions count as
     *                      disconnected from, since the file does not record it
     */
    private MosquittoDbMapping(Contents file, long savedAtMillis, long nowMillis) {
        this.file = file;
        this.savedAtMillis = savedAtMillis;
        this.nowMillis = nowMillis;
    }

    record Result(StoreContents contents, List<String> notes) {}

    static Result map(Contents file, long savedAtMillis, long nowMillis) {
        return new MosquittoDbMapping(file, savedAtMillis, nowMillis).map();
    }

    private Result map() {
        notes.addAll(file.skipped());
        mapMessages();
        List<Message> retained = mapRetained();
        for (Client client : file.clients()) {
            sessions.put(client.clientId(), new SessionParts(disconnectedAtMillis(client)));
        }
        file.subscriptions().forEach(s -> session(s.clientId()).subscriptions.put(s.filter(), s.qos()));
        file.clientMessages().forEach(this::mapClientMessage);

        List<StoredSession> stored = new ArrayList<>();
        sessions.forEach((clientId, parts) -> stored.add(new StoredSession(clientId, MessageIds.next(),
                parts.disconnectedAtMillis, null, parts.subscriptions, List.copyOf(parts.outbound.values()),
                parts.inbound)));
        long highest = messages.values().stream().mapToLong(Message::id).max().orElse(0);
        return new Result(new StoreContents(retained, stored, highest), notes);
    }

    private void mapMessages() {
        int expired = 0;
        List<StoredMessage> byAge = new ArrayList<>(file.messages());
        byAge.sort(Comparator.comparingLong(StoredMessage::storeId));
        for (StoredMessage m : byAge) {
            long expiresAtMillis = m.expiryTime() * 1000;
            if (m.expiryTime() > 0 && expiresAtMillis <= nowMillis) {
                expired++;
                continue;
            }
            Origin origin = m.sourceId() == null ? null
                    : new Origin(m.sourceId(), m.sourceUsername(), AllowAllAuthorizer.INSTANCE);
            messages.put(m.storeId(), new Message(MessageIds.next(), m.topic(), m.payload(), m.qos(), m.retain(),
                    origin, m.expiryTime() > 0 ? expiresAtMillis : 0, m.properties()));
        }
        if (expired > 0) {
            notes.add(expired + " expired messages left out");
        }
    }

    private List<Message> mapRetained() {
        List<Message> retained = new ArrayList<>();
        Set<String> topics = new HashSet<>();
        for (MosquittoRecords.Retained r : file.retained()) {
            Message message = messages.get(r.storeId());
            // Without the message it was expired; mosquitto drops such entries silently too.
            if (message != null && topics.add(message.topic())) {
                retained.add(message.withRetain(true));
            }
        }
        return retained;
    }

    private void mapClientMessage(ClientMessage cm) {
        Message message = messages.get(cm.storeId());
        if (message == null) {
            return; // expired, or a $SYS message mosquitto did not save: it skips these as well
        }
        SessionParts session = session(cm.clientId());
        if (!cm.outgoing()) {
            if (cm.state() == WAIT_FOR_PUBREL || cm.state() == SEND_PUBREC) {
                session.inbound.put(cm.mid(), message);
            } else {
                notes.add("a message from client " + cm.clientId() + " in state " + cm.state() + " left out");
            }
            return;
        }
        StoredOutbound entry = switch (cm.state()) {
            case QUEUED, PUBLISH_QOS0, PUBLISH_QOS1, WAIT_FOR_PUBACK, PUBLISH_QOS2 ->
                    new StoredOutbound(message, cm.qos(), cm.retain(), 0, false);
            case WAIT_FOR_PUBREC -> new StoredOutbound(message, cm.qos(), cm.retain(), cm.mid(), false);
            case RESEND_PUBREL, WAIT_FOR_PUBCOMP -> new StoredOutbound(message, cm.qos(), cm.retain(), cm.mid(), true);
            default -> null;
        };
        if (entry == null || (entry.packetId() != 0 && cm.qos() != 2)) {
            notes.add("a message to client " + cm.clientId() + " in state " + cm.state() + " at QoS " + cm.qos()
                    + " left out");
        } else if (session.outbound.putIfAbsent(message.id(), entry) != null) {
            // Midge holds a message once per session; mosquitto may hold it twice for overlapping subscriptions.
            notes.add("a second copy of message " + message.topic() + " to client " + cm.clientId() + " left out");
        }
    }

    private SessionParts session(String clientId) {
        // As mosquitto does: a chunk naming a client with no client chunk of its own still makes a session.
        return sessions.computeIfAbsent(clientId, c -> new SessionParts(savedAtMillis));
    }

    private long disconnectedAtMillis(Client client) {
        long interval = client.sessionExpiryInterval();
        if (client.sessionExpiryTime() > 0 && interval != 0 && interval != Client.NEVER_EXPIRES) {
            return (client.sessionExpiryTime() - interval) * 1000;
        }
        return savedAtMillis;
    }
}
