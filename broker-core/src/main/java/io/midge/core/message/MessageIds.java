package io.midge.core.message;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out message identities, unique for the life of a store: the store moves the counter past
 * every id it recovers before any new message is made.
 */
public final class MessageIds {

    private static final AtomicLong NEXT = new AtomicLong(1);

    private MessageIds() {}

    public static long next() {
        return NEXT.getAndIncrement();
    }

    /** After recovery: no id at or below {@code highestInUse} is handed out again. */
    public static void moveBeyond(long highestInUse) {
        NEXT.accumulateAndGet(highestInUse + 1, Math::max);
    }
}
