package io.midge.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The training run's clients: blocking sockets that take a broker through CONNECT (3.1.1 and 5),
 * SUBSCRIBE, PUBLISH at QoS 0, 1 and 2 both ways, retained messages, PINGREQ, UNSUBSCRIBE and
 * DISCONNECT. The packets are written by hand: what is trained is the broker, not a client.
 */
final class TrainingClients {

    private static final int THREADS = 2;
    private static final int CONNACK = 2, PUBLISH = 3, PUBACK = 4, PUBREC = 5, PUBREL = 6, PUBCOMP = 7,
            SUBACK = 9, UNSUBACK = 11, PINGRESP = 13;

    private TrainingClients() {}

    /** {@code connections} clients one after another on each of two threads; throws if one fails. */
    static void run(int port, int connections) throws IOException, InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                done.add(threads.submit(() -> {
                    for (int i = first; i < connections; i += THREADS) {
                        new Client(port, i).session();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            threads.shutdownNow();
        }
    }

    private static final class Client {
        private final int port;
        private final int n;
        private final boolean mqtt5;
        private final int[] seen = new int[16];
        private Socket socket;
        private OutputStream out;
        private DataInputStream in;

        Client(int port, int n) {
            this.port = port;
            this.n = n;
            this.mqtt5 = n % 2 == 1;
        }

        void session() throws IOException {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket = s;
                socket.setSoTimeout(5000);
                socket.setTcpNoDelay(true);
                out = socket.getOutputStream();
                in = new DataInputStream(socket.getInputStream());
                String topic = "midge/training/" + n;
                send(0x10, connectBody("midge-training-" + n));
                await(CONNACK, 1);
                send(0x82, subscribeBody(1, topic + "/#"));
                await(SUBACK, 1);
                for (int qos = 0; qos <= 2; qos++) {
                    send(0x30 | qos << 1, publishBody(topic + "/q" + qos, qos, 10 + qos, "training"));
                    await(PUBLISH, 1);
                    if (qos == 1) {
                        await(PUBACK, 1);
                    } else if (qos == 2) {
                        await(PUBCOMP, 1);
                        await(PUBREL, 1);
                    }
                }
                String retained = "midge/training/retained/" + n;
                send(0x33, publishBody(retained, 1, 20, "kept"));
                await(PUBACK, 2);
                send(0x33, publishBody(retained, 1, 21, ""));
                await(PUBACK, 3);
                send(0xC0, new byte[0]);
                await(PINGRESP, 1);
                send(0xA2, unsubscribeBody(2, topic + "/#"));
                await(UNSUBACK, 1);
                send(0xE0, mqtt5 ? new byte[] {0} : new byte[0]);
            }
        }

        /** Reads packets, answering the broker's QoS 1/2 flows, until {@code count} of {@code type} were seen. */
        private void await(int type, int count) throws IOException {
            while (seen[type] < count) {
                int header = in.readUnsignedByte();
                byte[] body = new byte[remainingLength()];
                in.readFully(body);
                int received = header >> 4;
                seen[received]++;
                if (received == PUBLISH) {
                    int qos = header >> 1 & 3;
                    int topicLength = (body[0] & 0xFF) << 8 | body[1] & 0xFF;
                    int id = qos == 0 ? 0 : (body[2 + topicLength] & 0xFF) << 8 | body[3 + topicLength] & 0xFF;
                    if (qos == 1) {
                        send(0x40, id(id));
                    } else if (qos == 2) {
                        send(0x50, id(id));
                    }
                } else if (received == PUBREC) {
                    send(0x62, id(packetId(body)));
                } else if (received == PUBREL) {
                    send(0x70, id(packetId(body)));
                }
            }
        }

        private int remainingLength() throws IOException {
            int value = 0;
            for (int shift = 0; shift <= 21; shift += 7) {
                int b = in.readUnsignedByte();
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IOException("malformed remaining length from the training broker");
        }

        private void send(int header, byte[] body) throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream(body.length + 5);
            packet.write(header);
            int length = body.length;
            do {
                int b = length & 0x7F;
                length >>= 7;
                packet.write(length > 0 ? b | 0x80 : b);
            } while (length > 0);
            packet.write(body, 0, body.length);
            out.write(packet.toByteArray());
        }

        private byte[] connectBody(String clientId) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            string(b, "MQTT");
            b.write(mqtt5 ? 5 : 4);
            b.write(0x02);
            b.write(0);
            b.write(60);
            properties(b);
            string(b, clientId);
            return b.toByteArray();
        }

        /** At QoS 2: the UNSUBSCRIBE body and the options byte. */
        private byte[] subscribeBody(int id, String filter) {
            byte[] unsubscribe = unsubscribeBody(id, filter);
            byte[] body = java.util.Arrays.copyOf(unsubscribe, unsubscribe.length + 1);
            body[unsubscribe.length] = 2;
            return body;
        }

        private byte[] unsubscribeBody(int id, String filter) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(id(id));
            properties(b);
            string(b, filter);
            return b.toByteArray();
        }

        private byte[] publishBody(String topic, int qos, int id, String payload) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            string(b, topic);
            if (qos > 0) {
                b.writeBytes(id(id));
            }
            properties(b);
            b.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
            return b.toByteArray();
        }

        /** An empty MQTT 5 property section. */
        private void properties(ByteArrayOutputStream b) {
            if (mqtt5) {
                b.write(0);
            }
        }

        private static int packetId(byte[] body) {
            return (body[0] & 0xFF) << 8 | body[1] & 0xFF;
        }

        private static byte[] id(int id) {
            return new byte[] {(byte) (id >> 8), (byte) id};
        }

        private static void string(ByteArrayOutputStream b, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.write(bytes.length >> 8);
            b.write(bytes.length);
            b.writeBytes(bytes);
        }
    }
}
