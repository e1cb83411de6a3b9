package io.midge.server.codec;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * The peer sent bytes that are not a valid MQTT packet. The message is a short reason meant for
 * the log; the connection must be closed without a reply [MQTT-4.8.0-1].
 */
public class MalformedPacketException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String reason) {
        super(reason);
    }
}
