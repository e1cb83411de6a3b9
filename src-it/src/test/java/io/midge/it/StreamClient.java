package io.midge.it;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client for crash tests that counts exactly what the broker promised and delivered. As a
 * publisher it streams numbered messages with a window of unacknowledged ones and records which
 * numbers were acknowledged (PUBACK for QoS 1, PUBCOMP for QoS 2). As a subscriber it acks
 * everything and counts each number delivered, handling QoS 2 as the spec's receiver does: a
 * PUBLISH under a packet identifier awaiting PUBREL is a resend, not a new delivery. That state
 * survives reconnects, as a persistent session's must.
 */
final class StreamClient implements AutoCloseable {

    private final String clientId;
    private Socket socket;
    private OutputStream out;
    private Thread reader;

    // publisher
    final Set<Integer> acked = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Integer> sequenceByPacketId = new ConcurrentHashMap<>();
    private final AtomicInteger unacked = new AtomicInteger();

    // subscriber
    final Map<Integer, Integer> deliveries = new ConcurrentHashMap<>();
    private final Set<Integer> awaitingRelease = ConcurrentHashMap.newKeySet();
    private volatile boolean connected;
    private volatile boolean subscribed;

    StreamClient(String clientId) {
        this.clientId = clientId;
    }

    /** Connects with clean session 0 and returns the CONNACK's session present flag. */
    boolean connect(int port) throws IOException {
        socket = new Socket(BrokerProcess.HOST, port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        write(Mqtt.connect(clientId).cleanSession(false).keepAlive(0).build());
        int header = in.readUnsignedByte();
        int length = remainingLength(in);
        byte[] connack = in.readNBytes(length);
        if (header != 0x20 || connack.length != 2 || connack[1] != 0) {
            throw new IOException("connection refused: " + Mqtt.hex(connack));
        }
        connected = true;
        reader = new Thread(() -> readLoop(in), "stream-" + clientId);
        reader.setDaemon(true);
        reader.start();
        return (connack[0] & 1) == 1;
    }

    /** Subscribes and waits for the SUBACK. */
    void subscribe(String filter, int qos) throws IOException {
        subscribed = false;
        write(Mqtt.subscribe(1, filter, qos));
        Await.until(RawClient.TIMEOUT, () -> subscribed, "SUBACK");
    }

    boolean isConnected() {
        return connected;
    }

    /**
     * Publishes 1..count to {@code topic}, at most {@code window} unacknowledged at a time, until
     * done or the connection drops. Sequence numbers go in the payload.
     */
    void publishStream(String topic, int qos, int count, int window) {
        int packetId = 0;
        try {
            for (int sequence = 1; sequence <= count && connected; sequence++) {
                while (unacked.get() >= window && connected) {
                    Thread.onSpinWait();
                }
                packetId = packetId == 65535 ? 1 : packetId + 1;
                sequenceByPacketId.put(packetId, sequence);
                unacked.incrementAndGet();
                write(Mqtt.publish(topic, qos, false, false, packetId,
                        Integer.toString(sequence).getBytes(StandardCharsets.US_ASCII)));
            }
        } catch (IOException e) {
            connected = false; // the broker died under us: what was acknowledged is in acked
        }
    }

    private void readLoop(DataInputStream in) {
        try {
            while (true) {
                int header = in.readUnsignedByte();
                byte[] body = in.readNBytes(remainingLength(in));
                onPacket(header, body);
            }
        } catch (IOException e) {
            connected = false;
        }
    }

    private void onPacket(int header, byte[] body) throws IOException {
        int type = header >> 4;
        ByteBuffer b = ByteBuffer.wrap(body);
        switch (type) {
            case 3 -> onPublish(header, b);
            case 4, 7 -> { // PUBACK, PUBCOMP: the publisher's message is safe
                Integer sequence = sequenceByPacketId.remove(b.getShort() & 0xFFFF);
                if (sequence != null) {
                    acked.add(sequence);
                    unacked.decrementAndGet();
                }
            }
            case 5 -> write(Mqtt.pubrel(b.getShort() & 0xFFFF)); // PUBREC
            case 6 -> { // PUBREL from the broker: our QoS 2 delivery completes
                int packetId = b.getShort() & 0xFFFF;
                awaitingRelease.remove(packetId);
                write(Mqtt.pubcomp(packetId));
            }
            case 9 -> subscribed = true;
            default -> { } // PINGRESP
        }
    }

    private void onPublish(int header, ByteBuffer b) throws IOException {
        int qos = (header >> 1) & 3;
        byte[] topic = new byte[b.getShort() & 0xFFFF];
        b.get(topic);
        int packetId = qos > 0 ? b.getShort() & 0xFFFF : 0;
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        int sequence = Integer.parseInt(new String(payload, StandardCharsets.US_ASCII));
        if (qos == 2) {
            if (awaitingRelease.add(packetId)) {
                deliveries.merge(sequence, 1, Integer::sum);
            }
            write(Mqtt.pubrec(packetId));
        } else {
            deliveries.merge(sequence, 1, Integer::sum);
            if (qos == 1) {
                write(Mqtt.puback(packetId));
            }
        }
    }

    private synchronized void write(byte[] packet) throws IOException {
        out.write(packet);
    }

    private static int remainingLength(DataInputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("bad remaining length");
    }

    /** Drops the connection without DISCONNECT, as a crash of the client would. */
    @Override
    public void close() {
        connected = false;
        try {
            if (socket != null) {
                socket.close();
            }
            if (reader != null) {
                reader.join(5000);
            }
        } catch (IOException | InterruptedException e) {
            // closing anyway
        }
    }
}
