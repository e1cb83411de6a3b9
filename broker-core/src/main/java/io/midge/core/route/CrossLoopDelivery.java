package io.midge.core.route;

import io.midge.core.message.Message;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a message to a subscriber on its owner loop. Deliveries to subscribers owned by
 * other loops are gathered per target loop and handed over as one task per target when the
 * publishing loop finishes its current batch of work, not one task per message.
 */
final class CrossLoopDelivery {

    private record Delivery(Subscriber subscriber, Message message, int qos, boolean retain, long stored) {}

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

    /**
     * @param retain the retain flag to send
     * @param stored what {@link Subscriber#storeDelivery} returned for this delivery
     */
    static void deliver(Subscriber subscriber, Message message, int qos, boolean retain, long stored) {
        EventExecutor owner = subscriber.owner();
        if (owner.inEventLoop()) {
            subscriber.deliver(message, qos, retain, stored);
            return;
        }
        subscriber.incomingSent();
        EventExecutor current = ThreadExecutorMap.currentExecutor();
        Delivery delivery = new Delivery(subscriber, message, qos, retain, stored);
        if (current == null) {
            owner.execute(() -> deliverHere(delivery));
        } else {
            PENDING.get().add(owner, delivery, current);
        }
    }

    /**
     * The subscriber may have moved to another loop (its client reconnected) while the task
     * travelled. The arrival is counted after the delivery, so that a message never looks to
     * waiting publishers as if it were neither on its way nor queued.
     */
    private static void deliverHere(Delivery delivery) {
        Subscriber subscriber = delivery.subscriber;
        if (subscriber.owner().inEventLoop()) {
            subscriber.deliver(delivery.message, delivery.qos, delivery.retain, delivery.stored);
        } else {
            deliver(subscriber, delivery.message, delivery.qos, delivery.retain, delivery.stored);
        }
        subscriber.incomingArrived();
    }
}
