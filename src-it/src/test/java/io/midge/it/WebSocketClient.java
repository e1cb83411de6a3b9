package io.midge.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal RFC 6455 WebSocket client over a plain or TLS socket, written by hand so tests control
 * every frame: the HTTP upgrade, then masked client frames of any opcode / FIN combination.
 *
 * <p>{@link #asSocket()} turns it into a {@link Socket} whose streams carry MQTT bytes in binary
 * frames (one frame per flush; inbound frames are unwrapped), so a {@link RawClient} can run over
 * it with {@link RawClient#over(Socket)}. Every data frame the server sends is recorded: tests
 * assert that MQTT came back in binary frames ({@link #serverDataOpcodes()}).
 */
public final class WebSocketClient implements AutoCloseable {

    public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The server's answer to the upgrade request. */
    public record Handshake(int status, String statusLine, Map<String, String> headers) {
        /** A header value (names are case-insensitive), or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One frame as received. */
    public record Frame(boolean fin, int opcode, byte[] payload) {}

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Handshake handshake;
    private final List<Integer> serverDataOpcodes = new ArrayList<>();
    private final Object writeLock = new Object();

    private WebSocketClient(Socket socket, DataInputStream in, Handshake handshake) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.handshake = handshake;
    }

    /** Connects to ws://127.0.0.1:port{path} offering the given subprotocols (none when empty). */
    public static WebSocketClient connect(int port, String path, String... subprotocols) {
        return connect(null, port, path, subprotocols);
    }

    /**
     * Connects (over TLS when {@code tls} is given: wss://) and performs the upgrade. Returns even
     * when the server refuses the upgrade: check {@link #handshake()}.
     */
    public static WebSocketClient connect(SSLContext tls, int port, String path, String... subprotocols) {
        Socket s = null;
        try {
            s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(BrokerProcess.HOST, port), (int) RawClient.TIMEOUT.toMillis());
            s.setSoTimeout((int) RawClient.TIMEOUT.toMillis());
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, BrokerProcess.HOST, port, true);
                ssl.setUseClientMode(true);
                ssl.startHandshake();
                s = ssl;
            }
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            StringBuilder req = new StringBuilder()
                    .append("GET ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(BrokerProcess.HOST).append(':').append(port).append("\r\n")
                    .append("Upgrade: websocket\r\n")
                    .append("Connection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n");
            if (subprotocols.length > 0) {
                req.append("Sec-WebSocket-Protocol: ").append(String.join(", ", subprotocols)).append("\r\n");
            }
            req.append("\r\n");
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            Handshake h = readHandshake(in);
            if (h.status() == 101) {
                String expected = accept(key);
                if (!expected.equals(h.header("Sec-WebSocket-Accept"))) {
                    throw new IllegalStateException("bad Sec-WebSocket-Accept " + h.header("Sec-WebSocket-Accept")
                            + ", expected " + expected);
                }
            }
            s.setSoTimeout(0);
            return new WebSocketClient(s, in, h);
        } catch (IOException e) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            throw new UncheckedIOException(e);
        }
    }

    private static Handshake readHandshake(DataInputStream in) throws IOException {
        String status = readLine(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return new Handshake(Integer.parseInt(parts[1]), status, headers);
    }

    private static String readLine(DataInputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed during the HTTP upgrade; got: " + b.toString(StandardCharsets.US_ASCII));
            }
            if (c != '\r') {
                b.write(c);
            }
            if (b.size() > 8192) {
                throw new IOException("HTTP header line too long");
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Handshake handshake() {
        return handshake;
    }

    // ------------------------------------------------------------------ frames

    /** Sends one masked frame (clients must mask every frame). */
    public void sendFrame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write((fin ? 0x80 : 0) | opcode);
        int len = payload.length;
        if (len < 126) {
            f.write(0x80 | len);
        } else if (len < 65536) {
            f.write(0x80 | 126);
            f.write(len >> 8);
            f.write(len);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) len >> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < len; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        synchronized (writeLock) {
            try {
                out.write(f.toByteArray());
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One whole binary message in a single frame. */
    public void sendBinary(byte[] payload) {
        sendFrame(true, BINARY, payload);
    }

    /**
     * The next frame from the server (blocking). Data frames (continuation, text, binary) are
     * recorded in {@link #serverDataOpcodes()}. Fails if the server masks its frames.
     */
    public Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("the server masked a frame (RFC 6455 5.1 forbids it)");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        if (len > 16 * 1024 * 1024) {
            throw new IOException("frame of " + len + " bytes");
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        int opcode = b0 & 0x0F;
        if (opcode < 0x8) {
            synchronized (serverDataOpcodes) {
                serverDataOpcodes.add(opcode);
            }
        }
        return new Frame((b0 & 0x80) != 0, opcode, payload);
    }

    /** The opcodes of every data frame the server sent so far, in order. */
    public List<Integer> serverDataOpcodes() {
        synchronized (serverDataOpcodes) {
            return new ArrayList<>(serverDataOpcodes);
        }
    }

    // ------------------------------------------------------------------ as a byte stream

    /**
     * A socket view carrying a byte stream: each flush of its output stream goes out as one binary
     * frame; its input stream yields the payloads of the server's binary (and continuation) frames,
     * answers pings, ends at a close frame, and fails on a text frame (MQTT must be binary).
     */
    public Socket asSocket() {
        return new FramedSocket();
    }

    private final class FramedSocket extends Socket {
        private final InputStream frameIn = new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private boolean closed;

            private boolean fill() throws IOException {
                while (pos >= current.length) {
                    if (closed) {
                        return false;
                    }
                    Frame f = readFrame();
                    switch (f.opcode()) {
                        case BINARY, CONTINUATION -> {
                            current = f.payload();
                            pos = 0;
                        }
                        case TEXT -> throw new IOException("the server sent MQTT in a text frame");
                        case PING -> sendFrame(true, PONG, f.payload());
                        case PONG -> { }
                        case CLOSE -> {
                            closed = true;
                            return false;
                        }
                        default -> throw new IOException("unknown opcode " + f.opcode());
                    }
                }
                return true;
            }

            @Override
            public int read() throws IOException {
                if (!fill()) {
                    return -1;
                }
                return current[pos++] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };

        private final OutputStream frameOut = new OutputStream() {
            private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                buf.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                buf.write(b, off, len);
            }

            @Override
            public synchronized void flush() throws IOException {
                if (buf.size() > 0) {
                    try {
                        sendBinary(buf.toByteArray());
                    } catch (UncheckedIOException e) {
                        throw e.getCause();
                    } finally {
                        buf.reset();
                    }
                }
            }
        };

        @Override
        public InputStream getInputStream() {
            return frameIn;
        }

        @Override
        public OutputStream getOutputStream() {
            return frameOut;
        }

        @Override
        public int getLocalPort() {
            return socket.getLocalPort();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return socket.getLocalSocketAddress();
        }

        @Override
        public boolean isClosed() {
            return socket.isClosed();
        }

        @Override
        public synchronized void close() throws IOException {
            socket.close();
        }
    }

    /** Closes the TCP connection (no close frame). */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
