package io.midge.core.store.mosquitto;

import io.midge.core.message.MessageProperties;
import io.midge.core.store.mosquitto.MosquittoRecords.Client;
import io.midge.core.store.mosquitto.MosquittoRecords.ClientMessage;
import io.midge.core.store.mosquitto.MosquittoRecords.Contents;
import io.midge.core.store.mosquitto.MosquittoRecords.Retained;
import io.midge.core.store.mosquitto.MosquittoRecords.StoredMessage;
import io.midge.core.store.mosquitto.MosquittoRecords.Subscription;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a mosquitto persistence file (mosquitto.db) of format version 5 (mosquitto 1.6) or 6
 * (mosquitto 2.0), the layout of mosquitto's {@code persist_read_v5.c}: a header, then chunks
 * of a kind and a length each. The fixed part of each chunk is a C struct written as is, so
 * its size includes the compiler's padding.
 */
final class MosquittoDbReader {

    private static final byte[] MAGIC = {0x00, (byte) 0xB5, 0x00, 'm', 'o', 's', 'q', 'u', 'i', 't', 't', 'o', ' ', 'd', 'b'};
    private static final int CHUNK_CFG = 1;
    private static final int CHUNK_MSG_STORE = 2;
    private static final int CHUNK_CLIENT_MSG = 3;
    private static final int CHUNK_RETAIN = 4;
    private static final int CHUNK_SUB = 5;
    private static final int CHUNK_CLIENT = 6;
    /** sizeof(struct PF_cfg): last_db_id, shutdown, dbid_size, padding. */
    private static final int CFG_SIZE = 16;
    /** sizeof(struct PF_msg_store). */
    private static final int MSG_STORE_SIZE = 32;
    /** sizeof(struct PF_client): version 6 added listener_port and username_len to version 5's 16 bytes. */
    private static final int CLIENT_SIZE_V5 = 16;
    private static final int CLIENT_SIZE_V6 = 24;
    private static final int CLIENT_MSG_SIZE = 16;
    private static final int RETAIN_SIZE = 8;
    private static final int SUB_SIZE = 12;
    private static final int DBID_SIZE = 8;

    private final Path file;
    private final List<StoredMessage> messages = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final List<ClientMessage> clientMessages = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<Retained> retained = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private int version;

    private MosquittoDbReader(Path file) {
        this.file = file;
    }

    static Contents read(Path file) throws MosquittoDbException {
        return new MosquittoDbReader(file).readFile();
    }

    private Contents readFile() throws MosquittoDbException {
        ChunkInput in = new ChunkInput(file, ByteBuffer.wrap(load()), 0);
        if (in.remaining() == 0) {
            skipped.add("the file is empty");
            return contents();
        }
        readHeader(in);
        while (in.remaining() > 0) {
            long at = in.offset();
            int kind = (int) in.u32();
            long length = in.u32();
            ChunkInput chunk = in.chunk(length, "chunk of kind " + kind);
            switch (kind) {
                case CHUNK_CFG -> readConfig(chunk);
                case CHUNK_MSG_STORE -> messages.add(readMessage(chunk));
                case CHUNK_CLIENT -> clients.add(readClient(chunk));
                case CHUNK_CLIENT_MSG -> clientMessages.add(readClientMessage(chunk));
                case CHUNK_RETAIN -> retained.add(new Retained(fixed(chunk, RETAIN_SIZE, "retained").hostOrder64()));
                case CHUNK_SUB -> subscriptions.add(readSubscription(chunk));
                // As mosquitto does: a later version's additions are skipped, not fatal.
                default -> skipped.add("a chunk of unknown kind " + kind + " at offset " + at);
            }
        }
        return contents();
    }

    private Contents contents() {
        return new Contents(version, messages, clients, clientMessages, subscriptions, retained, skipped);
    }

    private byte[] load() throws MosquittoDbException {
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 64) {
                throw new MosquittoDbException("mosquitto persistence file " + file + " is larger than 2 GB, which Midge cannot import");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MosquittoDbException("mosquitto persistence file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new MosquittoDbException("Unable to read mosquitto persistence file " + file + ": " + e.getMessage(), e);
        }
    }

    private void readHeader(ChunkInput in) throws MosquittoDbException {
        if (in.remaining() < MAGIC.length || !Arrays.equals(in.bytes(MAGIC.length, "the header"), MAGIC)) {
            throw new MosquittoDbException(file + " is not a mosquitto persistence file (unrecognised header)");
        }
        in.u32(); // a CRC field mosquitto writes as 0 and never checks
        long found = in.u32();
        if (found != 5 && found != 6) {
            throw new MosquittoDbException("mosquitto persistence file " + file + " has format version " + found
                    + "; Midge imports versions 5 (mosquitto 1.6) and 6 (mosquitto 2.0)");
        }
        version = (int) found;
    }

    private void readConfig(ChunkInput chunk) throws MosquittoDbException {
        ChunkInput in = fixed(chunk, CFG_SIZE, "configuration");
        in.hostOrder64(); // last_db_id: Midge numbers messages itself
        in.u8(); // shutdown: whether the broker stopped cleanly; the file is complete either way
        int dbidSize = in.u8();
        if (dbidSize != DBID_SIZE) {
            throw in.damaged("store ids of " + dbidSize + " bytes; mosquitto 2.0 writes " + DBID_SIZE);
        }
    }

    private StoredMessage readMessage(ChunkInput chunk) throws MosquittoDbException {
        fixed(chunk, MSG_STORE_SIZE, "stored message");
        long storeId = chunk.hostOrder64();
        long expiryTime = chunk.hostOrder64();
        long payloadLength = chunk.u32();
        chunk.u16(); // source_mid: the publisher's packet id, of no use once it is stored
        int sourceIdLength = chunk.u16();
        int usernameLength = chunk.u16();
        int topicLength = chunk.u16();
        chunk.u16(); // source_port: which listener it came in on
        int qos = chunk.u8();
        boolean retain = chunk.u8() != 0;
        if (qos > 2) {
            throw chunk.damaged("stored message " + storeId + " has QoS " + qos);
        }
        String sourceId = chunk.string(sourceIdLength, "the source client id");
        String username = chunk.string(usernameLength, "the source user name");
        long topicAt = chunk.offset();
        String topic = chunk.string(topicLength, "the topic");
        if (topic == null) {
            throw chunk.damaged(topicAt, "stored message " + storeId + " has no topic");
        }
        byte[] payload = chunk.bytes(payloadLength, "the payload");
        MessageProperties properties = chunk.remaining() > 0 ? MosquittoProperties.read(chunk) : MessageProperties.NONE;
        return new StoredMessage(storeId, expiryTime, sourceId, username, topic, payload, qos, retain, properties);
    }

    private Client readClient(ChunkInput chunk) throws MosquittoDbException {
        fixed(chunk, version == 6 ? CLIENT_SIZE_V6 : CLIENT_SIZE_V5, "client");
        long sessionExpiryTime = chunk.hostOrder64();
        long sessionExpiryInterval = chunk.u32();
        chunk.u16(); // last_mid: Midge hands out packet ids afresh
        int idLength = chunk.u16();
        int usernameLength = 0;
        if (version == 6) {
            chunk.u16(); // listener_port
            usernameLength = chunk.u16();
            chunk.skip(4, "padding");
        }
        long idAt = chunk.offset();
        String clientId = chunk.string(idLength, "the client id");
        if (clientId == null) {
            throw chunk.damaged(idAt, "a client without a client id");
        }
        String username = chunk.string(usernameLength, "the user name");
        return new Client(clientId, sessionExpiryTime, sessionExpiryInterval, username);
    }

    private ClientMessage readClientMessage(ChunkInput chunk) throws MosquittoDbException {
        fixed(chunk, CLIENT_MSG_SIZE, "client message");
        long storeId = chunk.hostOrder64();
        int mid = chunk.u16();
        int idLength = chunk.u16();
        int qos = chunk.u8();
        int state = chunk.u8();
        int retainDup = chunk.u8();
        int direction = chunk.u8();
        if (qos > 2) {
            throw chunk.damaged("a client message with QoS " + qos);
        }
        long idAt = chunk.offset();
        String clientId = chunk.string(idLength, "the client id");
        if (clientId == null) {
            throw chunk.damaged(idAt, "a client message without a client id");
        }
        // What follows is the subscription identifier (MQTT 5), which Midge does not keep.
        return new ClientMessage(clientId, storeId, mid, qos, state, (retainDup & 0xF0) != 0, direction == 1);
    }

    private Subscription readSubscription(ChunkInput chunk) throws MosquittoDbException {
        fixed(chunk, SUB_SIZE, "subscription");
        chunk.u32(); // the MQTT 5 subscription identifier
        int idLength = chunk.u16();
        int filterLength = chunk.u16();
        int qos = chunk.u8();
        chunk.u8(); // MQTT 5 options: no local, retain as published
        chunk.skip(2, "padding");
        long at = chunk.offset();
        String clientId = chunk.string(idLength, "the client id");
        String filter = chunk.string(filterLength, "the topic filter");
        if (clientId == null || filter == null || qos > 2) {
            throw chunk.damaged(at, "a subscription without a client id or topic filter, or of QoS " + qos);
        }
        return new Subscription(clientId, filter, qos);
    }

    /** Checks the chunk holds at least its fixed part; returns it for reading. */
    private static ChunkInput fixed(ChunkInput chunk, int size, String what) throws MosquittoDbException {
        if (chunk.remaining() < size) {
            throw chunk.damaged("a " + what + " chunk of " + chunk.remaining() + " bytes, shorter than its fixed "
                    + size + " bytes");
        }
        return chunk;
    }
}
