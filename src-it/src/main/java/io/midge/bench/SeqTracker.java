package io.midge.bench;

import java.util.Arrays;

/**
 * What one subscriber received from one publisher, judged by sequence number. Sequence numbers
 * start at 0 and increase by one per message the publisher sends.
 *
 * <p>A ring of {@value #WINDOW} bits remembers which of the last sequence numbers below the
 * highest one seen have arrived, so a late message can be told from a duplicate. A message more
 * than that far behind is counted as out of order and as new (a duplicate that late cannot be
 * recognised). Loss is not judged here: it is the publisher's sent count minus {@link #unique()},
 * once the run has drained. Touched only by the subscriber's event loop.
 */
final class SeqTracker {

    static final int WINDOW = 4096;
    private static final int MASK = WINDOW - 1;

    private final long[] seen = new long[WINDOW / 64];
    /** Highest sequence number seen plus one; 0 before the first message. */
    private long next;

    long received;
    long duplicates;
    /** Messages that arrived after a higher sequence number of the same publisher (duplicates excluded). */
    long outOfOrder;
    /** Of those, how many were further behind than the window: counted as new, unverifiable. */
    long beyondWindow;
    /** Messages that arrived after a gap in the sequence (a gap later filled counts too). */
    long gaps;

    void accept(long seq) {
        received++;
        if (seq >= next) {
            long gap = seq - next;
            if (gap > 0) {
                gaps++;
                if (gap >= WINDOW) {
                    Arrays.fill(seen, 0L);
                } else {
                    for (long s = next; s < seq; s++) {
                        clear(s);
                    }
                }
            }
            set(seq);
            next = seq + 1;
        } else if (next - seq <= WINDOW) {
            if (isSet(seq)) {
                duplicates++;
            } else {
                set(seq);
                outOfOrder++;
            }
        } else {
            outOfOrder++;
            beyondWindow++;
        }
    }

    long unique() {
        return received - duplicates;
    }

    private void set(long seq) {
        int bit = (int) (seq & MASK);
        seen[bit >>> 6] |= 1L << bit;
    }

    private void clear(long seq) {
        int bit = (int) (seq & MASK);
        seen[bit >>> 6] &= ~(1L << bit);
    }

    private boolean isSet(long seq) {
        int bit = (int) (seq & MASK);
        return (seen[bit >>> 6] & (1L << bit)) != 0;
    }
}
