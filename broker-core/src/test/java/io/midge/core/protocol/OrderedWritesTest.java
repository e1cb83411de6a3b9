package io.midge.core.protocol;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.PacketType;
import io.midge.core.store.Commit;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderedWritesTest {

    private final List<String> sent = new ArrayList<>();
    private final OrderedWrites acks = new OrderedWrites(ImmediateEventExecutor.INSTANCE,
            packet -> sent.add(packet.type() + " " + ((MqttPacket.Ack) packet).packetId()));

    @Test
    void anAckWaitsForItsCommitAndLaterAcksQueueBehindItEvenWhenTheirsIsDone() {
        ControlledCommit slow = new ControlledCommit();
        acks.add(slow, new MqttPacket.Ack(PacketType.PUBACK, 1));
        acks.add(Commit.DONE, new MqttPacket.Ack(PacketType.PUBREC, 2));
        acks.add(Commit.DONE, new MqttPacket.Ack(PacketType.PUBACK, 3));
        assertEquals(List.of(), sent, "nothing overtakes the ack that waits");
        assertFalse(acks.isEmpty());

        slow.complete();
        assertEquals(List.of("PUBACK 1", "PUBREC 2", "PUBACK 3"), sent);
        assertTrue(acks.isEmpty(), "the fast path is open again");
    }

    @Test
    void acksBehindASecondWaitingCommitWaitForThatOneToo() {
        ControlledCommit first = new ControlledCommit();
        ControlledCommit second = new ControlledCommit();
        acks.add(first, new MqttPacket.Ack(PacketType.PUBACK, 1));
        acks.add(second, new MqttPacket.Ack(PacketType.PUBACK, 2));
        acks.add(Commit.DONE, new MqttPacket.Ack(PacketType.PUBCOMP, 3));

        first.complete();
        assertEquals(List.of("PUBACK 1"), sent);
        second.complete();
        assertEquals(List.of("PUBACK 1", "PUBACK 2", "PUBCOMP 3"), sent);
    }

    @Test
    void nothingHeldIsSentOnceTheConnectionIsGone() {
        ControlledCommit slow = new ControlledCommit();
        acks.add(slow, new MqttPacket.Ack(PacketType.PUBACK, 1));
        acks.add(Commit.DONE, new MqttPacket.Ack(PacketType.PUBACK, 2));
        acks.discard();
        slow.complete();
        assertEquals(List.of(), sent);
    }
}
