package io.midge.it;

import io.midge.it.BridgedPair.Topology;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One {@link BridgedPair} per topology for the tests of a class, started when the first test
 * asks for it and closed with {@link #close()} (from {@code @AfterAll}). Starting two brokers is
 * most of a bridge test's time, so tests that only differ in their topics share a pair.
 */
final class SharedPairs implements AutoCloseable {

    private final String owner;
    private final Function<Topology, BridgedPair.Builder> recipe;
    private final Map<Topology, BridgedPair> started = new EnumMap<>(Topology.class);

    /** Called from the static initializer of the test class, whose name the run directories get. */
    SharedPairs(Function<Topology, BridgedPair.Builder> recipe) {
        this.owner = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass().getSimpleName();
        this.recipe = recipe;
    }

    /** The pair for {@code topology}, started now if no test has used it yet. */
    synchronized BridgedPair of(Topology topology) {
        BridgedPair pair = started.get(topology);
        if (pair == null) {
            String outer = BrokerProcess.RUN_NAME.get();
            BrokerProcess.RUN_NAME.set(owner);
            try {
                pair = recipe.apply(topology).start();
            } finally {
                BrokerProcess.RUN_NAME.set(outer);
            }
            started.put(topology, pair);
        }
        return pair;
    }

    @Override
    public synchronized void close() {
        for (BridgedPair pair : started.values()) {
            pair.close();
        }
        started.clear();
    }
}
