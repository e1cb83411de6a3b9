package io.midge.core.session;

import io.midge.core.message.Message;
import io.midge.core.route.DrainWaiter;
import io.midge.core.route.Subscriber;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backpressure as an edge between loops: a congested session wakes its waiting publishers when it drains. */
class SessionBackpressureTest {

    /** Queue limit 8: publishers hold back from 4 queued and go on at 2. */
    private static final SessionLimits LIMITS = new SessionLimits(20, 8, 0, false, false);

    private final DefaultEventExecutor subscriberLoop = new DefaultEventExecutor();
    private final DefaultEventExecutor publisherLoop = new DefaultEventExecutor();
    private final RecordingConnection client = new RecordingConnection();
    private final Session session = new Session("slow", subscriberLoop, LIMITS);

    /** A publisher that notes where and when it was woken. */
    private final class Waiter implements DrainWaiter {
        final CountDownLatch woken = new CountDownLatch(1);
        final AtomicBoolean onItsOwnLoop = new AtomicBoolean();

        @Override
        public EventExecutor loop() {
            return publisherLoop;
        }

        @Override
        public void drained(Subscriber subscriber) {
            onItsOwnLoop.set(publisherLoop.inEventLoop() && subscriber == session);
            woken.countDown();
        }
    }

    @AfterEach
    void stopLoops() {
        subscriberLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        publisherLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private void onSubscriberLoop(Runnable action) throws Exception {
        subscriberLoop.submit(action).get(5, TimeUnit.SECONDS);
    }

    private void onPublisherLoop(Runnable action) throws Exception {
        publisherLoop.submit(action).get(5, TimeUnit.SECONDS);
    }

    /** A connected client that reads nothing, with {@code queued} messages waiting for it. */
    private void congest(int queued) throws Exception {
        onSubscriberLoop(() -> {
            session.attach(client);
            client.writable = false;
            for (int i = 0; i < queued; i++) {
                session.deliver(Message.of("t", "m" + i, 1, false), 1, false);
            }
        });
    }

    @Test
    void aWaitingPublisherIsWokenOnItsOwnLoopOnceTheQueueDrainsBelowLowWater() throws Exception {
        congest(4);
        assertTrue(session.isCongested());
        Waiter waiter = new Waiter();
        onPublisherLoop(() -> session.awaitDrain(waiter));
        onPublisherLoop(() -> { }); // a wakeup would have been queued on the publisher's loop by now
        assertEquals(1, waiter.woken.getCount(), "still congested: not woken");

        onSubscriberLoop(() -> {
            client.writable = true;
            session.drain();
        });
        assertTrue(waiter.woken.await(5, TimeUnit.SECONDS));
        assertTrue(waiter.onItsOwnLoop.get());
    }

    @Test
    void aPublisherThatRegistersAfterTheDrainIsWokenAtOnce() throws Exception {
        congest(4);
        onSubscriberLoop(() -> {
            client.writable = true;
            session.drain();
        });
        Waiter late = new Waiter();
        onPublisherLoop(() -> session.awaitDrain(late));
        assertTrue(late.woken.await(5, TimeUnit.SECONDS), "no wakeup lost between the check and the registration");
    }

    @Test
    void aClientThatNeverReadsHoldsPublishersBackForOneSecondAtMost() throws Exception {
        congest(4);
        long start = System.nanoTime();
        Waiter waiter = new Waiter();
        onPublisherLoop(() -> session.awaitDrain(waiter));
        assertTrue(waiter.woken.await(5, TimeUnit.SECONDS), "woken by the episode's cap timer");
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waitedMillis >= 900, "waited " + waitedMillis + " ms");
        assertFalse(session.isCongested(), "the episode is over for publishers");
    }

    @Test
    void aPublisherWaitingForAClientThatGoesAwayIsWoken() throws Exception {
        congest(4);
        Waiter waiter = new Waiter();
        onPublisherLoop(() -> session.awaitDrain(waiter));
        onSubscriberLoop(() -> session.detach(0));
        assertTrue(waiter.woken.await(5, TimeUnit.SECONDS));
    }
}
