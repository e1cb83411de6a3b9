package io.midge.core.store;

import io.midge.core.auth.Authorizer;
import io.midge.core.message.Message;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksDBException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a whole store back: for start-up (where any damage is an error, so the broker never
 * starts with data silently missing) and for {@code midge store check/salvage} (which count
 * damaged records and carry on).
 */
final class StoreReader {

    /**
     * @param contents   what the store holds
     * @param references per stored message id, how many outbound entries reference it
     * @param garbage    keys nothing refers to any more (entries of ended sessions, unreferenced messages)
     * @param damaged    what could not be decoded, one line each (only when reading leniently)
     */
    record Result(StoreContents contents, Map<Long, Integer> references, List<byte[]> garbage, List<String> damaged) {}

    private record OutboundKey(String clientId, long messageId, RecordCodec.OutboundValue value, byte[] key) {}

    private final RocksDB db;
    private final Path location;
    private final Authorizer authorizer;
    private final List<String> damaged = new ArrayList<>();
    private boolean lenient;

    StoreReader(RocksDB db, Path location, Authorizer authorizer) {
        this.db = db;
        this.location = location;
        this.authorizer = authorizer;
    }

    Result read(boolean lenient) throws StoreException {
        this.lenient = lenient;
        List<Message> retained = new ArrayList<>();
        Map<Long, Message> messages = new HashMap<>();
        Map<Long, byte[]> messageKeys = new HashMap<>();
        Map<String, RecordCodec.SessionValue> sessions = new TreeMap<>();
        Map<String, Map<String, Integer>> subscriptions = new HashMap<>();
        List<OutboundKey> outbound = new ArrayList<>();
        Map<String, Map<Integer, Message>> inbound = new HashMap<>();
        Map<String, List<byte[]>> inboundKeys = new HashMap<>();
        List<byte[]> garbage = new ArrayList<>();
        long highestId = 0;
        try (ReadOptions options = new ReadOptions().setVerifyChecksums(true).setFillCache(false);
             RocksIterator it = db.newIterator(options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                byte[] value = it.value();
                try {
                    switch (key[0]) {
                        case StoreKeys.FORMAT -> checkFormat(value);
                        case StoreKeys.RETAINED -> {
                            Message message = RecordCodec.message(value, authorizer);
                            retained.add(message);
                            highestId = Math.max(highestId, message.id());
                        }
                        case StoreKeys.MESSAGE -> {
                            Message message = RecordCodec.message(value, authorizer);
                            messages.put(message.id(), message);
                            messageKeys.put(message.id(), key);
                            highestId = Math.max(highestId, message.id());
                        }
                        case StoreKeys.SESSION -> {
                            RecordCodec.SessionValue session = RecordCodec.session(value, authorizer);
                            sessions.put(StoreKeys.clientId(key), session);
                            if (session.will() != null) {
                                highestId = Math.max(highestId, session.will().id());
                            }
                        }
                        case StoreKeys.SUBSCRIPTION -> subscriptions.computeIfAbsent(StoreKeys.clientId(key), c -> new LinkedHashMap<>())
                                .put(utf8(StoreKeys.afterClientId(key)), RecordCodec.subscriptionOptions(value));
                        case StoreKeys.OUTBOUND -> outbound.add(new OutboundKey(StoreKeys.clientId(key),
                                StoreKeys.afterClientId(key).getLong(), RecordCodec.outbound(value), key));
                        case StoreKeys.INBOUND -> {
                            Message message = RecordCodec.message(value, authorizer);
                            String clientId = StoreKeys.clientId(key);
                            inbound.computeIfAbsent(clientId, c -> new HashMap<>())
                                    .put(StoreKeys.afterClientId(key).getShort() & 0xFFFF, message);
                            inboundKeys.computeIfAbsent(clientId, c -> new ArrayList<>()).add(key);
                            highestId = Math.max(highestId, message.id());
                        }
                        default -> damage("a record of unknown kind " + (key[0] & 0xFF));
                    }
                } catch (StoreException | RuntimeException e) {
                    damage("a " + kindName(key[0]) + " record: " + e.getMessage());
                }
            }
            it.status();
        } catch (RocksDBException e) {
            if (!lenient) {
                throw new StoreException("Unable to read persistence store " + location + ": " + e.getMessage()
                        + StoreException.RECOVERY_HINT, e);
            }
            // What was read before the damage is still worth salvaging.
            damaged.add("reading stopped early, the records after this point are lost: " + e.getMessage());
        }

        Map<Long, Integer> references = new HashMap<>();
        Map<String, List<StoredOutbound>> outboundBySession = new HashMap<>();
        outbound.sort(Comparator.comparing(OutboundKey::clientId).thenComparingLong(OutboundKey::messageId));
        for (OutboundKey entry : outbound) {
            RecordCodec.SessionValue session = sessions.get(entry.clientId);
            if (session == null || session.incarnation() != entry.value.incarnation()) {
                garbage.add(entry.key);
                continue;
            }
            Message message = messages.get(entry.messageId);
            if (message == null) {
                damage("the outbound entry of client " + entry.clientId + " refers to message " + entry.messageId
                        + ", which is missing");
                continue;
            }
            references.merge(entry.messageId, 1, Integer::sum);
            RecordCodec.OutboundValue v = entry.value;
            outboundBySession.computeIfAbsent(entry.clientId, c -> new ArrayList<>())
                    .add(new StoredOutbound(message, v.qos(), v.retain(), v.packetId(), v.released()));
        }
        messageKeys.forEach((id, key) -> {
            if (!references.containsKey(id)) {
                garbage.add(key);
            }
        });
        subscriptions.keySet().stream().filter(c -> !sessions.containsKey(c))
                .forEach(c -> subscriptions.get(c).keySet().forEach(f -> garbage.add(StoreKeys.subscription(c, f))));
        inboundKeys.forEach((c, keys) -> {
            if (!sessions.containsKey(c)) {
                garbage.addAll(keys);
            }
        });

        List<StoredSession> stored = new ArrayList<>(sessions.size());
        sessions.forEach((clientId, s) -> stored.add(new StoredSession(clientId, s.incarnation(), s.disconnectedAtMillis(),
                s.will(), subscriptions.getOrDefault(clientId, Map.of()),
                outboundBySession.getOrDefault(clientId, List.of()), inbound.getOrDefault(clientId, Map.of()), s.expiryMillis())));
        return new Result(new StoreContents(retained, stored, highestId), references, garbage, damaged);
    }

    private void checkFormat(byte[] value) throws StoreException {
        if (value.length != 1 || value[0] != RecordCodec.FORMAT_VERSION) {
            throw new StoreException("persistence store " + location + " has format "
                    + (value.length == 1 ? value[0] : "?") + "; this Midge reads format " + RecordCodec.FORMAT_VERSION);
        }
    }

    private void damage(String what) throws StoreException {
        if (!lenient) {
            throw new StoreException("Persistence store " + location + " is damaged: " + what + StoreException.RECOVERY_HINT);
        }
        damaged.add(what);
    }

    private static String utf8(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return new String(copy, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String kindName(byte kind) {
        return switch (kind) {
            case StoreKeys.RETAINED -> "retained message";
            case StoreKeys.MESSAGE -> "message";
            case StoreKeys.SESSION -> "session";
            case StoreKeys.SUBSCRIPTION -> "subscription";
            case StoreKeys.OUTBOUND -> "outbound message";
            case StoreKeys.INBOUND -> "inbound message";
            case StoreKeys.FORMAT -> "format";
            default -> "unknown";
        };
    }
}
