package io.midge.core.protocol;

import io.midge.core.packet.MqttPacket;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;

/** A transport that records what the protocol writes, as the client would read it once flushed. */
public final class RecordingTransport implements Transport {

    public final List<MqttPacket> written = new ArrayList<>();
    private final EventExecutor loop;
    public boolean readingPaused;
    public boolean closeRequested;

    public RecordingTransport(EventExecutor loop) {
        this.loop = loop;
    }

    @Override
    public void write(MqttPacket packet) {
        written.add(packet);
    }

    @Override
    public void flush() { }

    @Override
    public void close() {
        closeRequested = true;
    }

    @Override
    public void pauseReading() {
        readingPaused = true;
    }

    @Override
    public void resumeReading() {
        readingPaused = false;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1:50000";
    }

    @Override
    public String remoteHost() {
        return "127.0.0.1";
    }

    /** Takes what was written so far. */
    public List<MqttPacket> take() {
        List<MqttPacket> taken = List.copyOf(written);
        written.clear();
        return taken;
    }
}
