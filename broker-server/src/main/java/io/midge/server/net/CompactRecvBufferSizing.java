package io.midge.server.net;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

/**
 * Receive buffers sized to what each connection reads, as Netty's AdaptiveRecvByteBufAllocator
 * sizes them (2 KiB at first, up to 64 KiB for a publisher that sends bursts, down to 64 bytes
 * for one that sends little), but with the size kept in one byte of the per-channel handle: the
 * adaptive allocator's handle holds a calculator object of 40 bytes, which every idle connection
 * pays for. Sizes are powers of two, so the byte holds the exponent.
 */
final class CompactRecvBufferSizing extends DefaultMaxMessagesRecvByteBufAllocator {

    static final int MIN_SHIFT = 6;
    static final int INITIAL_SHIFT = 11;
    static final int MAX_SHIFT = 16;
    /** A read that fills the buffer grows it sixteen-fold at once, as Netty's adaptive sizing does above 512 bytes. */
    private static final int GROW_SHIFT = 4;
    /** Set in the state byte after one small read: the buffer halves only after two in a row, so one quiet read does not undo a burst's size. */
    private static final int SHRINK_ARMED = 0x80;
    private static final int SHIFT_MASK = 0x1F;

    @Override
    public RecvByteBufAllocator.Handle newHandle() {
        return new SizeHandle(this);
    }

    /** Static, so that it holds no second reference to the allocator beside the one its superclass keeps. */
    static final class SizeHandle extends MaxMessageHandle {
        /** The buffer size's exponent, and {@link #SHRINK_ARMED}. */
        private byte state = INITIAL_SHIFT;

        SizeHandle(CompactRecvBufferSizing allocator) {
            allocator.super();
        }

        @Override
        public int guess() {
            return 1 << (state & SHIFT_MASK);
        }

        /** A read that filled the buffer grows it before the next read of the same loop. */
        @Override
        public void lastBytesRead(int bytes) {
            if (bytes == attemptedBytesRead()) {
                record(bytes);
            }
            super.lastBytesRead(bytes);
        }

        @Override
        public void readComplete() {
            record(totalBytesRead());
        }

        /** Package-private for tests: what one read, or one read loop, took. */
        void record(int bytes) {
            int shift = state & SHIFT_MASK;
            if (shift > MIN_SHIFT && bytes <= 1 << (shift - 1)) {
                state = (state & SHRINK_ARMED) != 0 ? (byte) (shift - 1) : (byte) (shift | SHRINK_ARMED);
            } else if (bytes >= 1 << shift) {
                state = (byte) Math.min(MAX_SHIFT, shift + GROW_SHIFT);
            }
            // In between, the size stays and so does an armed shrink, as in Netty's AdaptiveCalculator.
        }
    }
}
