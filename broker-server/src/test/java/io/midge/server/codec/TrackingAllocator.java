package io.midge.server.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/** Allocator that remembers every buffer it hands out, to prove they were all released. */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final UnpooledByteBufAllocator delegate = new UnpooledByteBufAllocator(false, true);
    public final List<ByteBuf> buffers = new ArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf track(ByteBuf buf) {
        buffers.add(buf);
        return buf;
    }

    public ByteBuf wrap(byte[] bytes) {
        return heapBuffer(bytes.length).writeBytes(bytes);
    }

    public int largestLiveCapacity() {
        return buffers.stream().filter(b -> b.refCnt() > 0).mapToInt(ByteBuf::capacity).max().orElse(0);
    }

    public int largestCapacity() {
        return buffers.stream().mapToInt(ByteBuf::capacity).max().orElse(0);
    }

    public void assertAllReleased() {
        for (ByteBuf buf : buffers) {
            assertEquals(0, buf.refCnt(), "buffer not released: " + buf);
        }
    }
}
