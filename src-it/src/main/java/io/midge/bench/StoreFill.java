package io.midge.bench;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.message.Message;
import io.midge.core.message.MessageIds;
import io.midge.core.message.MessageProperties;
import io.midge.core.message.Origin;
import io.midge.core.store.RocksStore;
import io.midge.core.store.StoreException;
import io.midge.core.store.StoreSettings;

import java.nio.file.Path;

/**
 * Fills a Midge store for the recovery measurement: {@code RETAINED} retained messages and
 * {@code SESSIONS} persistent sessions, each with one subscription and {@code QUEUED} queued
 * QoS 1 messages. Then start the broker with {@code persistence_location} at the store's parent
 * and read the time from its "Restored ..." line.
 *
 * <p>{@code java -cp src-it/target/midge-bench.jar io.midge.bench.StoreFill DIR/midge.db RETAINED SESSIONS QUEUED}
 */
public final class StoreFill {

    private StoreFill() {}

    public static void main(String[] args) throws StoreException {
        Path directory = Path.of(args[0]);
        int retained = Integer.parseInt(args[1]);
        int sessions = Integer.parseInt(args[2]);
        int queued = Integer.parseInt(args[3]);
        long started = System.nanoTime();
        RocksStore store = RocksStore.open(StoreSettings.fsync(directory), AllowAllAuthorizer.INSTANCE,
                e -> { throw new IllegalStateException(e); });
        store.load();
        Origin origin = new Origin("filler", null, AllowAllAuthorizer.INSTANCE);
        byte[] payload = new byte[64];
        for (int i = 0; i < retained; i++) {
            store.putRetained(new Message(MessageIds.next(), "devices/" + (i / 1000) + "/" + i + "/state", payload, 1,
                    true, origin, 0, MessageProperties.NONE));
        }
        for (int s = 0; s < sessions; s++) {
            String clientId = "device-" + s;
            long incarnation = MessageIds.next();
            store.putSession(clientId, incarnation, System.currentTimeMillis(), null);
            store.putSubscription(clientId, "commands/" + s + "/#", 1);
            for (int q = 0; q < queued; q++) {
                store.putOutbound(clientId, incarnation, new Message(MessageIds.next(), "commands/" + s + "/" + q, payload,
                        1, false, origin, 0, MessageProperties.NONE), 1, false);
            }
        }
        store.close();
        System.out.printf("filled %s with %d retained messages and %d sessions (%d queued each) in %d ms%n",
                directory, retained, sessions, queued, (System.nanoTime() - started) / 1_000_000);
    }
}
