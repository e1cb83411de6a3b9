package io.midge.bench;

/** The benchmark scenarios; the name is the subcommand and the "scenario" of a result. */
enum Scenario {
    /** P publishers on prefix/i, one subscriber on prefix/#. */
    FANIN,
    /** One publisher on prefix/0, S subscribers on prefix/0. */
    FANOUT,
    /** N publisher/subscriber pairs, pair i on prefix/i. */
    P2P,
    /** As p2p, paced at a fixed total rate; the latency percentiles are the point. */
    LATENCY,
    /** C idle connections opened as fast as possible. */
    CONNS,
    /** N connections at once to a broker started S seconds earlier. */
    STORM;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
