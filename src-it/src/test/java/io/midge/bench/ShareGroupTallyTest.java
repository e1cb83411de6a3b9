package io.midge.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ShareGroupTallyTest {

    @Test
    void aMessageSeenByTwoMembersIsADuplicateHoweverLate() {
        ShareGroupTally tally = new ShareGroupTally();
        Subscriber a = new Subscriber(0, "f", 0, 1, new ShareGroupTally[] {tally});
        Subscriber b = new Subscriber(1, "f", 0, 1, new ShareGroupTally[] {tally});
        for (int seq = 0; seq < 100_000; seq++) {
            (seq % 2 == 0 ? a : b).onMessage(0, seq);
        }
        a.onMessage(0, 1); // b had it, 99,999 messages ago
        assertEquals(100_000, tally.unique());
        assertEquals(1, tally.duplicates());
        assertEquals(0, a.streams[0].duplicates, "the member alone cannot tell");
    }

    @Test
    void aSequenceNumberNoRunReachesIsRefused() {
        ShareGroupTally tally = new ShareGroupTally();
        assertFalse(tally.accept(ShareGroupTally.MAX_SEQ));
        Subscriber s = new Subscriber(0, "f", 0, 1, new ShareGroupTally[] {tally});
        s.onMessage(0, 0xFFFF_FFFFL);
        assertEquals(1, s.unexpected);
        assertEquals(0, tally.unique());
    }
}
