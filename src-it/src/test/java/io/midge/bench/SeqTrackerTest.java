package io.midge.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeqTrackerTest {

    private static SeqTracker feed(long... seqs) {
        SeqTracker t = new SeqTracker();
        for (long s : seqs) {
            t.accept(s);
        }
        return t;
    }

    @Test
    void inOrder() {
        SeqTracker t = feed(0, 1, 2, 3);
        assertEquals(4, t.unique());
        assertEquals(0, t.duplicates + t.outOfOrder + t.gaps);
    }

    @Test
    void gapIsLossUntilFilled() {
        SeqTracker t = feed(0, 1, 4, 5);
        assertEquals(4, t.unique());
        assertEquals(1, t.gaps);
        t.accept(2);
        t.accept(3);
        assertEquals(6, t.unique());
        assertEquals(2, t.outOfOrder);
        assertEquals(0, t.duplicates);
    }

    @Test
    void duplicatesInOrderAndLate() {
        SeqTracker t = feed(0, 1, 1, 2, 0);
        assertEquals(3, t.unique());
        assertEquals(2, t.duplicates);
        assertEquals(0, t.outOfOrder);
    }

    @Test
    void slotsReusedAcrossTheWindowAreNotMistakenForDuplicates() {
        SeqTracker t = new SeqTracker();
        t.accept(0);
        t.accept(SeqTracker.WINDOW - 1 + 3); // a gap: 1 .. WINDOW+1 missing
        t.accept(SeqTracker.WINDOW); // same slot as 0, still missing
        assertEquals(0, t.duplicates);
        assertEquals(1, t.outOfOrder);
        t.accept(SeqTracker.WINDOW);
        assertEquals(1, t.duplicates);
    }

    @Test
    void farBehindTheWindowCountsAsLateNotDuplicate() {
        SeqTracker t = feed(0, 3 * SeqTracker.WINDOW, 1);
        assertEquals(3, t.unique());
        assertEquals(1, t.beyondWindow);
        assertEquals(1, t.outOfOrder);
    }
}
