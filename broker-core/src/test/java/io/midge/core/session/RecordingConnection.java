package io.midge.core.session;

import io.midge.core.message.Message;
import io.midge.core.store.Commit;

import java.util.ArrayList;
import java.util.List;

/** A ClientConnection that records what the session sends, as the wire would see it. */
final class RecordingConnection implements ClientConnection {

    record Sent(String kind, int packetId, String topic, int qos, boolean dup, boolean retain) {}

    final List<Sent> sent = new ArrayList<>();
    boolean writable = true;
    boolean takenOver;
    int closedOutOfMemory;

    @Override
    public void closeOutOfMemory() {
        closedOutOfMemory++;
    }

    @Override
    public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain) {
        sent.add(new Sent("PUBLISH", packetId, message.topic(), qos, dup, retain));
    }

    @Override
    public void sendPublish(int packetId, Message message, int qos, boolean dup, boolean retain, Commit after) {
        sendPublish(packetId, message, qos, dup, retain);
    }

    @Override
    public void sendPubRel(int packetId) {
        sent.add(new Sent("PUBREL", packetId, null, 1, false, false));
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void closeTakenOver(boolean successorCleanSession) {
        takenOver = true;
    }

    @Override
    public void recheckCredentials() {
    }

    List<String> topics() {
        return sent.stream().filter(s -> s.kind().equals("PUBLISH")).map(Sent::topic).toList();
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }
}
