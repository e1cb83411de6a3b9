package io.midge.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class CompactRecvBufferSizingTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final RecvByteBufAllocator.Handle handle = new CompactRecvBufferSizing().newHandle();

    /** One read loop of reads of these sizes, as a channel's unsafe runs it. */
    private void readLoop(int... reads) {
        handle.reset(channel.config());
        for (int bytes : reads) {
            int attempted = handle.guess();
            handle.attemptedBytesRead(attempted);
            handle.lastBytesRead(Math.min(bytes, attempted));
            handle.incMessagesRead(1);
        }
        handle.readComplete();
    }

    @Test
    void startsAtTwoKibibytes() {
        assertEquals(2048, handle.guess());
    }

    @Test
    void aBurstGrowsTheBufferWithinOneReadLoopUpToSixtyFourKibibytes() {
        handle.reset(channel.config());
        handle.attemptedBytesRead(handle.guess());
        handle.lastBytesRead(2048);
        assertEquals(32768, handle.guess());
        handle.attemptedBytesRead(handle.guess());
        handle.lastBytesRead(32768);
        assertEquals(65536, handle.guess());
        handle.attemptedBytesRead(handle.guess());
        handle.lastBytesRead(65536);
        assertEquals(65536, handle.guess());
    }

    @Test
    void oneQuietReadLoopKeepsTheSizeAndTwoInARowHalveIt() {
        readLoop(100);
        assertEquals(2048, handle.guess());
        readLoop(100);
        assertEquals(1024, handle.guess());
    }

    /** As Netty's adaptive sizing: a read between half and full neither grows the buffer nor disarms its shrinking. */
    @Test
    void aReadBetweenHalfAndFullChangesNothing() {
        readLoop(100);
        readLoop(1500);
        assertEquals(2048, handle.guess());
        readLoop(100);
        assertEquals(1024, handle.guess());
    }

    @Test
    void growingDisarmsTheShrinking() {
        CompactRecvBufferSizing.SizeHandle sizes = (CompactRecvBufferSizing.SizeHandle) handle;
        sizes.record(100);
        sizes.record(2048);
        assertEquals(32768, handle.guess());
        sizes.record(100);
        assertEquals(32768, handle.guess());
        sizes.record(100);
        assertEquals(16384, handle.guess());
    }

    @Test
    void neverBelowSixtyFourBytes() {
        for (int i = 0; i < 40; i++) {
            readLoop(2);
        }
        assertEquals(64, handle.guess());
    }
}
