package io.midge.core.session;

import io.midge.core.message.Message;

/**
 * The network side of a connected session, as the session sees it. Every call is made on the
 * session's owner event loop; writes are buffered and flushed once per batch by the implementation.
 */
public interface ClientConnection {

    /** Writes a PUBLISH; packetId is 0 for QoS 0. */
    void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain);

    void sendPubRel(int packetId);

    /** False while the socket's outbound buffer is above its high-water mark: hold messages back. */
    boolean isWritable();

    /** Another connection took over this client id: close without touching the session. */
    void closeTakenOver();
}
