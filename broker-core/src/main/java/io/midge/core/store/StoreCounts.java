package io.midge.core.store;

/**
 * How much a store holds, as the store tools report it.
 *
 * @param outbound messages queued or in flight to sessions, {@code inFlight} of them sent at QoS 2
 *                 and awaiting PUBREC or PUBCOMP
 * @param inbound  QoS 2 messages received from clients and awaiting PUBREL
 */
public record StoreCounts(int retained, int sessions, int subscriptions, int outbound, int inFlight, int inbound) {

    public static StoreCounts of(StoreContents contents) {
        int subscriptions = 0;
        int outbound = 0;
        int inFlight = 0;
        int inbound = 0;
        for (StoredSession session : contents.sessions()) {
            subscriptions += session.subscriptions().size();
            outbound += session.outbound().size();
            inFlight += (int) session.outbound().stream().filter(o -> o.packetId() != 0).count();
            inbound += session.inbound().size();
        }
        return new StoreCounts(contents.retained().size(), contents.sessions().size(), subscriptions, outbound,
                inFlight, inbound);
    }

    public boolean isEmpty() {
        return retained == 0 && sessions == 0;
    }

    @Override
    public String toString() {
        return retained + " retained messages, " + sessions + " sessions, " + subscriptions + " subscriptions, "
                + outbound + " queued messages (" + inFlight + " in flight), " + inbound
                + " received QoS 2 messages awaiting PUBREL";
    }
}
