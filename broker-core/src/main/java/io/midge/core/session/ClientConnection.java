package io.midge.core.session;

import io.midge.core.message.Message;
import io.midge.core.store.Commit;

/**
 * The network side of a connected session, as the session sees it. Every call is made on the
 * session's owner event loop; writes are buffered and flushed once per batch by the implementation.
 */
public interface ClientConnection {

    /** Writes a PUBLISH; packetId is 0 for QoS 0. */
    void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain);

    /**
     * Writes a PUBLISH once {@code after} is done (its packet identifier is safe in the store);
     * nothing this connection writes later may overtake it.
     */
    void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain, Commit after);

    void sendPubRel(int packetId);

    /**
     * Whether the client accepts this message at all: an MQTT 5 client's maximum packet size may
     * be below its size, and then it must not be sent [MQTT-3.1.2-25]; it is dropped as if delivered.
     */
    default boolean accepts(Message message, int qos, boolean retain) {
        return true;
    }

    /** False while the socket's outbound buffer is above its high-water mark: hold messages back. */
    boolean isWritable();

    /**
     * Another connection took over this client id, or won a race for it: drop the session at once
     * and close. The will is published when either connection has clean session set; a persistent
     * session continued by a persistent connection has no will, as in mosquitto.
     */
    void closeTakenOver(boolean successorCleanSession);

    /**
     * The password file was reloaded (SIGHUP): a client whose user name and password no longer
     * pass is disconnected, without its will, as mosquitto does.
     */
    void recheckCredentials();

    /**
     * memory_limit is reached and this client's queue is where messages pile up: it is
     * disconnected, as mosquitto disconnects a client whose outgoing message it cannot allocate,
     * so that a subscriber that stopped reading cannot keep the broker refusing everyone else.
     */
    default void closeOutOfMemory() {
    }

    /** What monitoring shows of this client. */
    default ClientInfo info() {
        return ClientInfo.UNKNOWN;
    }

    /**
     * An administrator disconnects the client (the HTTP API): without its will, as mosquitto's
     * kick of a client by id does, and with MQTT 5's reason code 0x98 administrative action.
     */
    default void closeByAdministrator() {
    }
}
