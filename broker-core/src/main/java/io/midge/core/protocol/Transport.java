package io.midge.core.protocol;

import io.midge.core.packet.MqttPacket;
import io.netty.util.concurrent.EventExecutor;

/**
 * The port through which a {@link ClientProtocol} talks to its client: a socket (the Netty
 * adapter in broker-server), a bridge's outgoing connection, or a test's recording fake. Every
 * call is made on {@link #executor()}.
 */
public interface Transport {

    /** Queues a packet for the client; nothing goes out before {@link #flush()}. */
    void write(MqttPacket packet);

    void flush();

    /** Flushes what was written and closes; the transport later reports the close (see {@link ClientProtocol#closed()}). */
    void close();

    /** Stops taking packets from the client, which TCP then slows down. */
    void pauseReading();

    void resumeReading();

    /** False while the outbound buffer is above its high-water mark. */
    boolean isWritable();

    /** The event loop the protocol runs on and owns its session from. */
    EventExecutor executor();

    /** The client's address and port as mosquitto logs it, e.g. {@code 127.0.0.1:53422}. */
    String remoteAddress();

    /** The client's address without the port, as mosquitto names a client it has no id for. */
    String remoteHost();
}
