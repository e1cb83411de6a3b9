package io.midge.bench;

import java.util.Arrays;

/**
 * Which messages of one publisher reached any member of a shared subscription: one bit per
 * sequence number, so a message delivered to two members (or twice to one) is told from a new
 * one however late it comes. Members may sit on different event loops, hence the lock; on the
 * usual single client loop it is never contended.
 */
final class ShareGroupTally {

    /** 2^28 messages (32 MiB of bits) is far beyond any run; a higher number is no message of this run. */
    static final long MAX_SEQ = 1L << 28;

    private long[] seen = new long[1024];
    private long unique;
    private long duplicates;

    /** @return false for a sequence number no run of this benchmark reaches */
    synchronized boolean accept(long seq) {
        if (seq < 0 || seq >= MAX_SEQ) {
            return false;
        }
        int word = (int) (seq >>> 6);
        if (word >= seen.length) {
            seen = Arrays.copyOf(seen, Math.max(word + 1, seen.length * 2));
        }
        long bit = 1L << (seq & 63);
        if ((seen[word] & bit) != 0) {
            duplicates++;
        } else {
            seen[word] |= bit;
            unique++;
        }
        return true;
    }

    /** Distinct messages delivered to the group. */
    synchronized long unique() {
        return unique;
    }

    /** Deliveries of a message the group had already had. */
    synchronized long duplicates() {
        return duplicates;
    }
}
