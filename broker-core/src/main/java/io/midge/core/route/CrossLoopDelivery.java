package io.midge.core.route;

import io.midge.core.message.Message;
import io.midge.core.session.Session;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a message to a session on the session's owner loop. Deliveries to sessions owned by
 * other loops are gathered per target loop and handed over as one task per target when the
 * publishing loop finishes its current batch of work, not one task per message.
 */
final class CrossLoopDelivery {

    private record Delivery(Session session, Message message, int qos, long storedIncarnation) {}

    /** Deliveries gathered on one publishing thread, by target loop. */
    private static final class PendingBatches implements Runnable {
        private final Map<EventExecutor, List<Delivery>> byTarget = new IdentityHashMap<>();
        private boolean flushScheduled;

        void add(EventExecutor target, Delivery delivery, EventExecutor currentLoop) {
            byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(delivery);
            if (!flushScheduled) {
                flushScheduled = true;
                // Runs after the loop's current I/O pass, so everything read in it travels together.
                currentLoop.execute(this);
            }
        }

        @Override
        public void run() {
            flushScheduled = false;
            for (Map.Entry<EventExecutor, List<Delivery>> entry : byTarget.entrySet()) {
                List<Delivery> batch = entry.getValue();
                if (!batch.isEmpty()) {
                    List<Delivery> handed = new ArrayList<>(batch);
                    batch.clear();
                    entry.getKey().execute(() -> handed.forEach(CrossLoopDelivery::deliverHere));
                }
            }
        }
    }

    private static final ThreadLocal<PendingBatches> PENDING = ThreadLocal.withInitial(PendingBatches::new);

    private CrossLoopDelivery() {}

    /** @param storedIncarnation the session incarnation the publisher stored this delivery under, or 0 */
    static void deliver(Session session, Message message, int qos, long storedIncarnation) {
        EventExecutor owner = session.owner();
        if (owner.inEventLoop()) {
            session.deliver(message, qos, false, storedIncarnation);
            return;
        }
        session.incomingSent();
        EventExecutor current = ThreadExecutorMap.currentExecutor();
        Delivery delivery = new Delivery(session, message, qos, storedIncarnation);
        if (current == null) {
            owner.execute(() -> deliverHere(delivery));
        } else {
            PENDING.get().add(owner, delivery, current);
        }
    }

    /** The session may have moved to another loop (its client reconnected) while the task travelled. */
    private static void deliverHere(Delivery delivery) {
        delivery.session.incomingArrived();
        if (delivery.session.owner().inEventLoop()) {
            delivery.session.deliver(delivery.message, delivery.qos, false, delivery.storedIncarnation);
        } else {
            deliver(delivery.session, delivery.message, delivery.qos, delivery.storedIncarnation);
        }
    }
}
