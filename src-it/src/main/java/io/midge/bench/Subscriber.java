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

    Subscriber(int id, String filter, int base, int count) {
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
        }
    }
}
