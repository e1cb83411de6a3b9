package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A blocking raw-socket MQTT client for exact wire assertions and protocol violations.
 *
 * <p>A reader thread splits the inbound byte stream into whole packets (fixed header + remaining
 * length) and queues them; the end of the stream (EOF or reset) is queued as {@link Packet#CLOSED}.
 * With {@link #autoAck(boolean)} the reader acknowledges inbound PUBLISH (PUBACK / PUBREC) and PUBREL
 * (PUBCOMP) itself, so the client behaves like a well-mannered subscriber.
 */
public final class RawClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Packet> inbound = new LinkedBlockingQueue<>();
    /** Packets taken off the queue while looking for another one, served first by later reads. */
    private final Deque<Packet> pending = new ArrayDeque<>();
    private final Object writeLock = new Object();
    private volatile boolean autoAck;
    private int nextPacketId = 1;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(null, this::readLoop, "raw-reader-" + socket.getLocalPort(), 256 * 1024);
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a TCP connection to the broker and sends nothing. */
    public static RawClient open(int port) {
        try {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(BrokerProcess.HOST, port), (int) TIMEOUT.toMillis());
            return new RawClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A client over an already connected socket (a TLS socket, or {@link WebSocketClient#asSocket()})
     * that has sent nothing yet.
     */
    public static RawClient over(Socket connected) {
        try {
            return new RawClient(connected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the CONNECT over {@code c} and asserts CONNACK rc 0 (or fails, closing {@code c}). */
    public static RawClient connected(RawClient c, Mqtt.Connect connect) {
        Packet connack = c.sendConnect(connect);
        if (connack.type() != Mqtt.CONNACK || connack.body().length != 2 || connack.body()[1] != 0) {
            c.close();
            fail("expected CONNACK rc 0, got " + connack);
        }
        return c;
    }

    /** Connects with clean session 1 and asserts CONNACK rc 0. */
    public static RawClient connect(int port, String clientId) {
        return connect(port, Mqtt.connect(clientId));
    }

    public static RawClient connect(int port, String clientId, boolean cleanSession) {
        return connect(port, Mqtt.connect(clientId).cleanSession(cleanSession));
    }

    /** Sends the CONNECT and asserts that the broker accepted it (CONNACK return code 0). */
    public static RawClient connect(int port, Mqtt.Connect connect) {
        return connect(port, connect, false);
    }

    /**
     * Like {@link #connect(int, Mqtt.Connect)}; with {@code autoAck} the client acknowledges from the
     * very first packet on, including messages a stored session delivers right after CONNACK.
     */
    public static RawClient connect(int port, Mqtt.Connect connect, boolean autoAck) {
        RawClient c = open(port).autoAck(autoAck);
        Packet connack = c.sendConnect(connect);
        if (connack.type() != Mqtt.CONNACK || connack.body().length != 2 || connack.body()[1] != 0) {
            c.close();
            fail("expected CONNACK rc 0, got " + connack);
        }
        return c;
    }

    /**
     * Sends the CONNECT and returns the broker's first answer (fails on timeout or close). Messages
     * that arrive before {@link #autoAck(boolean)} is switched on are not acknowledged.
     */
    public Packet sendConnect(Mqtt.Connect connect) {
        send(connect.build());
        return read();
    }

    /**
     * Sends the CONNECT and returns the broker's first answer, or null when the broker closed the
     * connection (or did not answer within {@link #TIMEOUT}) instead.
     */
    public Packet sendConnectQuietly(Mqtt.Connect connect) {
        sendQuietly(connect.build());
        Packet p = poll(TIMEOUT);
        return p == null || p.isClosed() ? null : p;
    }

    /** Sends the CONNECT on a new connection and asserts that the broker closes it without any answer. */
    public static void assertConnectClosedWithoutConnack(int port, Mqtt.Connect connect) {
        try (RawClient c = open(port)) {
            c.sendQuietly(connect.build());
            c.assertClosedWithoutPacket(TIMEOUT);
        }
    }

    /**
     * Sends the CONNECT on a new connection and asserts that the broker answers exactly
     * {@code 20 02 00 rc} and then closes the connection.
     */
    public static void assertConnectRefused(int port, Mqtt.Connect connect, int rc) {
        try (RawClient c = open(port)) {
            Packet connack = c.sendConnectQuietly(connect);
            assertArrayEquals(Mqtt.of(0x20, 0x02, 0x00, rc), connack == null ? null : connack.bytes(),
                    "CONNACK refusing with return code " + rc + ", got " + connack);
            c.assertClosedWithoutPacket(TIMEOUT);
        }
    }

    /** The return code of a CONNACK (its second body byte). */
    public static int connackCode(Packet connack) {
        assertEquals(Mqtt.typeName(Mqtt.CONNACK), Mqtt.typeName(connack.type()), "expected a CONNACK, got " + connack);
        return connack.body()[1] & 0xFF;
    }

    public RawClient autoAck(boolean on) {
        this.autoAck = on;
        return this;
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
            while (true) {
                int header = in.read();
                if (header < 0) {
                    break;
                }
                int length = 0;
                int multiplier = 1;
                int digits = 0;
                int digit;
                do {
                    digit = in.readUnsignedByte();
                    length += (digit & 0x7F) * multiplier;
                    multiplier *= 128;
                    if (++digits > 4) {
                        throw new IOException("broker sent a remaining length longer than 4 bytes");
                    }
                } while ((digit & 0x80) != 0);
                byte[] body = new byte[length];
                in.readFully(body);
                Packet p = new Packet(header, body);
                if (autoAck && handleAutoAck(p)) {
                    continue;
                }
                inbound.add(p);
            }
        } catch (EOFException | java.net.SocketException e) {
            // connection closed or reset: both count as closed
        } catch (IOException e) {
            // anything else also ends the stream
        } finally {
            inbound.add(Packet.CLOSED);
        }
    }

    /** Returns true when the packet was consumed (not to be queued). */
    private boolean handleAutoAck(Packet p) {
        try {
            if (p.type() == Mqtt.PUBLISH && p.qos() == 1) {
                send(Mqtt.puback(p.packetId()));
            } else if (p.type() == Mqtt.PUBLISH && p.qos() == 2) {
                send(Mqtt.pubrec(p.packetId()));
            } else if (p.type() == Mqtt.PUBREL) {
                send(Mqtt.pubcomp(p.ackId()));
                return true;
            }
        } catch (UncheckedIOException closed) {
            // the reader will see the close next
        }
        return false;
    }

    // ---------------------------------------------------------------- sending

    public void send(byte[]... parts) {
        synchronized (writeLock) {
            try {
                for (byte[] p : parts) {
                    out.write(p);
                }
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Sends, ignoring a failure because the broker already closed the connection. */
    public void sendQuietly(byte[]... parts) {
        try {
            send(parts);
        } catch (UncheckedIOException ignored) {
            // closed
        }
    }

    public int nextId() {
        synchronized (writeLock) {
            int id = nextPacketId;
            nextPacketId = nextPacketId == 65535 ? 1 : nextPacketId + 1;
            return id;
        }
    }

    // ---------------------------------------------------------------- receiving

    /** The next packet, {@link Packet#CLOSED} when the connection ended, or null after the timeout. */
    public synchronized Packet poll(Duration timeout) {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        try {
            Packet p = inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (p == Packet.CLOSED) {
                inbound.add(Packet.CLOSED); // stays closed for later reads
            }
            return p;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next packet; fails on timeout or close. */
    public Packet read(Duration timeout) {
        Packet p = poll(timeout);
        if (p == null) {
            fail("no packet from the broker within " + timeout);
        }
        if (p.isClosed()) {
            fail("the broker closed the connection (expected a packet)");
        }
        return p;
    }

    public Packet read() {
        return read(TIMEOUT);
    }

    /** Reads the next packet and asserts its type. */
    public Packet expect(int type) {
        Packet p = read();
        assertEquals(Mqtt.typeName(type), Mqtt.typeName(p.type()), "unexpected packet " + p);
        return p;
    }

    /**
     * The first packet matching {@code match} within the timeout; other packets seen meanwhile are
     * kept, in order, for later reads. Fails on timeout or close.
     */
    public synchronized Packet await(Predicate<Packet> match, Duration timeout, String what) {
        for (Iterator<Packet> it = pending.iterator(); it.hasNext(); ) {
            Packet p = it.next();
            if (match.test(p)) {
                it.remove();
                return p;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Deque<Packet> skipped = new ArrayDeque<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Packet p = left > 0 ? inbound.poll(left, TimeUnit.NANOSECONDS) : null;
                if (p == null) {
                    fail("no " + what + " within " + timeout + "; other packets: " + skipped);
                }
                if (p.isClosed()) {
                    inbound.add(Packet.CLOSED);
                    fail("the broker closed the connection while waiting for " + what + "; other packets: " + skipped);
                }
                if (match.test(p)) {
                    return p;
                }
                skipped.add(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pending.addAll(skipped);
        }
    }

    public Packet nextPublish(Duration timeout) {
        return await(p -> p.type() == Mqtt.PUBLISH, timeout, "PUBLISH");
    }

    public Packet nextPublish() {
        return nextPublish(TIMEOUT);
    }

    public Packet awaitAck(int type, int packetId) {
        return await(p -> p.type() == type && p.body().length >= 2 && p.ackId() == packetId, TIMEOUT,
                Mqtt.typeName(type) + " " + packetId);
    }

    /** Asserts that no PUBLISH arrives within the window (other packets are kept for later reads). */
    public void assertNoPublish(Duration window) {
        assertNoPublish(p -> true, window, "PUBLISH");
    }

    /** Asserts that no PUBLISH on the topic arrives within the window (other packets are kept). */
    public void assertNoPublishOn(String topic, Duration window) {
        assertNoPublish(p -> p.topic().equals(topic), window, "PUBLISH on " + topic);
    }

    /**
     * Asserts that no PUBLISH matching {@code which} arrives within the window; other packets are
     * kept for later reads. A close of the connection ends the window early.
     */
    public synchronized void assertNoPublish(Predicate<Packet> which, Duration window, String what) {
        for (Packet p : pending) {
            if (p.type() == Mqtt.PUBLISH && which.test(p)) {
                fail("unexpected " + p + " (no " + what + " expected)");
            }
        }
        long deadline = System.nanoTime() + window.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                Packet p = inbound.poll(left, TimeUnit.NANOSECONDS);
                if (p == null) {
                    return;
                }
                if (p.isClosed()) {
                    inbound.add(Packet.CLOSED);
                    return;
                }
                if (p.type() == Mqtt.PUBLISH && which.test(p)) {
                    fail("unexpected " + p + " (no " + what + " expected)");
                }
                pending.add(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asserts that nothing at all arrives within the window and the connection stays open. */
    public void assertSilent(Duration window) {
        Packet p = poll(window);
        if (p != null) {
            fail(p.isClosed() ? "the broker closed the connection" : "unexpected " + p);
        }
    }

    /** Asserts that the broker closes the connection within the timeout without sending any packet. */
    public void assertClosedWithoutPacket(Duration timeout) {
        Packet p = poll(timeout);
        if (p == null) {
            fail("the broker did not close the connection within " + timeout);
        }
        if (!p.isClosed()) {
            fail("expected the connection to be closed without a packet, got " + p);
        }
    }

    /** True when the connection ends within the timeout; packets arriving meanwhile are discarded. */
    public boolean closedWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Packet p = poll(Duration.ofNanos(left));
            if (p == null) {
                return false;
            }
            if (p.isClosed()) {
                return true;
            }
        }
    }

    // ---------------------------------------------------------------- protocol conveniences

    /** Subscribes to (filter, qos) pairs and returns the SUBACK return codes. */
    public int[] subscribe(Object... filterQosPairs) {
        int id = nextId();
        send(Mqtt.subscribe(id, filterQosPairs));
        Packet suback = awaitAck(Mqtt.SUBACK, id);
        assertEquals(0x90, suback.header(), "SUBACK fixed header");
        int[] codes = new int[suback.body().length - 2];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = suback.body()[i + 2] & 0xFF;
        }
        return codes;
    }

    /** Subscribes to one filter and asserts it was granted the requested QoS. */
    public void subscribe(String filter, int qos) {
        assertArrayEquals(new int[] {qos}, subscribe(new Object[] {filter, qos}), "SUBACK for " + filter);
    }

    public void unsubscribe(String... filters) {
        int id = nextId();
        send(Mqtt.unsubscribe(id, filters));
        Packet unsuback = awaitAck(Mqtt.UNSUBACK, id);
        assertArrayEquals(Mqtt.of(0xB0, 0x02, id >> 8, id & 0xFF), unsuback.bytes(), "UNSUBACK bytes");
    }

    /** Publishes and completes the QoS flow (PUBACK, or PUBREC / PUBREL / PUBCOMP). */
    public void publish(String topic, int qos, boolean retain, byte[] payload) {
        int id = qos > 0 ? nextId() : 0;
        send(Mqtt.publish(topic, qos, retain, false, id, payload));
        if (qos == 1) {
            awaitAck(Mqtt.PUBACK, id);
        } else if (qos == 2) {
            awaitAck(Mqtt.PUBREC, id);
            send(Mqtt.pubrel(id));
            awaitAck(Mqtt.PUBCOMP, id);
        }
    }

    public void publish(String topic, int qos, boolean retain, String payload) {
        publish(topic, qos, retain, Mqtt.bytes(payload));
    }

    public void publish(String topic, int qos, String payload) {
        publish(topic, qos, false, Mqtt.bytes(payload));
    }

    /** Round trip that proves every packet sent before it was processed. */
    public void ping() {
        send(Mqtt.pingreq());
        await(p -> p.type() == Mqtt.PINGRESP, TIMEOUT, "PINGRESP");
    }

    /** Sends DISCONNECT and closes the socket. */
    public void disconnect() {
        sendQuietly(Mqtt.disconnect());
        close();
    }

    /** The client side port, as the broker logs it ("from 127.0.0.1:PORT"). */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** True once the broker has closed (or reset) the connection; takes no packet off the queue. */
    public boolean peerClosed() {
        return inbound.contains(Packet.CLOSED);
    }

    public boolean isSocketClosed() {
        return socket.isClosed();
    }

    // ---------------------------------------------------------------- MQTT 5 conveniences

    /** Sends the MQTT 5 CONNECT and returns the broker's first answer, decoded (fails on timeout or close). */
    public Packet5 sendConnect5(Mqtt5.Connect connect) {
        send(connect.build());
        return Packet5.of(read());
    }

    /** Connects with MQTT 5 (clean start, no properties) and asserts CONNACK reason 0x00. */
    public static RawClient connect5(int port, String clientId) {
        return connect5(port, Mqtt5.connect(clientId));
    }

    /** Sends the MQTT 5 CONNECT and asserts CONNACK reason 0x00; the CONNACK is kept in {@link #connack5()}. */
    public static RawClient connect5(int port, Mqtt5.Connect connect) {
        RawClient c = open(port);
        Packet p = c.sendConnectQuietly5(connect);
        if (p == null || p.type() != Mqtt.CONNACK || Packet5.of(p).reason() != 0) {
            c.close();
            fail("expected CONNACK reason 0x00, got " + (p == null ? "no answer" : Packet5.of(p)));
        }
        c.connack5 = Packet5.of(p);
        return c;
    }

    private Packet sendConnectQuietly5(Mqtt5.Connect connect) {
        sendQuietly(connect.build());
        Packet p = poll(TIMEOUT);
        return p == null || p.isClosed() ? null : p;
    }

    private volatile Packet5 connack5;

    /** The CONNACK that {@link #connect5(int, Mqtt5.Connect)} received. */
    public Packet5 connack5() {
        return connack5;
    }

    /** Subscribes with MQTT 5 (filter, options byte) pairs and returns the SUBACK reason codes. */
    public int[] subscribe5(Mqtt5.Props props, Object... filterOptionPairs) {
        int id = nextId();
        send(Mqtt5.subscribe(id, props, filterOptionPairs));
        Packet5 suback = Packet5.of(awaitAck(Mqtt.SUBACK, id));
        return suback.reasons().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Subscribes to one filter at {@code qos} (no other options) and asserts it was granted. */
    public void subscribe5(String filter, int qos) {
        assertArrayEquals(new int[] {qos}, subscribe5(null, filter, qos), "SUBACK for " + filter);
    }

    /**
     * Publishes with MQTT 5 and completes the QoS flow; returns the PUBACK (QoS 1) or PUBREC (QoS 2,
     * after which PUBREL / PUBCOMP are exchanged), or null for QoS 0.
     */
    public Packet5 publish5(String topic, int qos, boolean retain, Mqtt5.Props props, String payload) {
        int id = qos > 0 ? nextId() : 0;
        send(Mqtt5.publish(topic, qos, retain, id, props, Mqtt.bytes(payload)));
        if (qos == 1) {
            return Packet5.of(awaitAck(Mqtt.PUBACK, id));
        }
        if (qos == 2) {
            Packet5 pubrec = Packet5.of(awaitAck(Mqtt.PUBREC, id));
            if (pubrec.reason() < 0x80) {
                send(Mqtt.pubrel(id));
                awaitAck(Mqtt.PUBCOMP, id);
            }
            return pubrec;
        }
        return null;
    }

    /** How many packets are waiting to be read (the end-of-stream marker not counted). */
    public synchronized int queued() {
        return pending.size() + (int) inbound.stream().filter(p -> !p.isClosed()).count();
    }

    /** The next PUBLISH, decoded as MQTT 5. */
    public Packet5 nextPublish5() {
        return Packet5.of(nextPublish());
    }

    public Packet5 nextPublish5(Duration timeout) {
        return Packet5.of(nextPublish(timeout));
    }

    /** The next packet of {@code type}, decoded as MQTT 5 (other packets are kept for later reads). */
    public Packet5 await5(int type) {
        return Packet5.of(await(p -> p.type() == type, TIMEOUT, Mqtt.typeName(type)));
    }

    /**
     * Asserts that the broker sends a DISCONNECT with {@code reason} as its next packet (PUBLISH
     * packets before it are skipped) and then closes the connection.
     */
    public Packet5 expectDisconnect5(int reason, Duration timeout) {
        Packet p;
        do {
            p = poll(timeout);
        } while (p != null && p.type() == Mqtt.PUBLISH);
        if (p == null || p.isClosed()) {
            fail(String.format("expected DISCONNECT 0x%02X, got %s", reason, p == null ? "nothing within " + timeout : p));
        }
        Packet5 d = Packet5.of(p);
        assertEquals(Mqtt.typeName(Mqtt.DISCONNECT), Mqtt.typeName(d.type()), "expected DISCONNECT, got " + d);
        assertEquals(String.format("0x%02X", reason), String.format("0x%02X", d.reason()), "DISCONNECT reason, got " + d);
        if (!closedWithin(timeout)) {
            fail("the broker did not close the connection after " + d);
        }
        return d;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
