package io.midge.core.session;

import io.midge.core.store.Commit;

/**
 * What became of an inbound QoS 2 PUBLISH, and the commit its PUBREC waits for: the moment the
 * stored message is safe. In memory that is at once.
 */
public record InboundQos2Receipt(Session.InboundQos2 outcome, Commit commit) {

    private static final InboundQos2Receipt[] IN_MEMORY = inMemory();

    /** A receipt whose commit is {@link Commit#DONE}; shared, as the hot path should allocate nothing. */
    static InboundQos2Receipt committed(Session.InboundQos2 outcome) {
        return IN_MEMORY[outcome.ordinal()];
    }

    private static InboundQos2Receipt[] inMemory() {
        Session.InboundQos2[] outcomes = Session.InboundQos2.values();
        InboundQos2Receipt[] receipts = new InboundQos2Receipt[outcomes.length];
        for (Session.InboundQos2 outcome : outcomes) {
            receipts[outcome.ordinal()] = new InboundQos2Receipt(outcome, Commit.DONE);
        }
        return receipts;
    }
}
