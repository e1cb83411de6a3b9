package io.midge.bench;

/**
 * The receiving side of one subscribing connection: one {@link SeqTracker} per publisher it
 * expects, publishers {@code base .. base + count - 1}. Touched only by its event loop.
 */
final class Subscriber {

    final int id;
    final String filter;
    final int base;
    final SeqTracker[] streams;
    long received;
    long receivedInWindow;
    /** Messages that are not this run's: unknown publisher index or a payload too short. */
    long unexpected;
    /**
     * For a member of a shared subscription, the group's tally per publisher (shared by all
     * members), which judges loss and duplicates; {@link #streams} then only judge this member's
     * order. Null for an ordinary subscriber.
     */
    final ShareGroupTally[] group;

    Subscriber(int id, String filter, int base, int count) {
        this(id, filter, base, count, null);
    }

    Subscriber(int id, String filter, int base, int count, ShareGroupTally[] group) {
        if (group != null && group.length != count) {
            throw new IllegalArgumentException("one group tally per publisher");
        }
        this.group = group;
        this.id = id;
        this.filter = filter;
        this.base = base;
        this.streams = new SeqTracker[count];
        for (int i = 0; i < count; i++) {
            streams[i] = new SeqTracker();
        }
    }

    void onMessage(int publisher, long seq) {
        received++;
        int i = publisher - base;
        if (i < 0 || i >= streams.length) {
            unexpected++;
        } else {
            streams[i].accept(seq);
            if (group != null && !group[i].accept(seq)) {
                unexpected++;
            }
        }
    }
}
