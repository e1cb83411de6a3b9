package io.midge.core.sys;

import io.midge.core.message.Message;
import io.midge.core.route.MemoryRetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysPublisherTest {

    private final MemoryRetainedStore retained = new MemoryRetainedStore();
    private final Router router = new Router(retained, true);
    private final SessionRegistry sessions = new SessionRegistry(SessionLimits.DEFAULTS, router::discardSubscriptions, Clock.systemUTC());
    private final BrokerStats stats = new BrokerStats();
    private final AtomicLong now = new AtomicLong(1_000_000);

    private Map<String, String> retainedSys() {
        Map<String, String> values = new HashMap<>();
        retained.forEachMatching("$SYS/#", m -> values.put(m.topic(), new String(m.payload(), StandardCharsets.UTF_8)));
        return values;
    }

    @Test
    void publishesMosquittoTopicsAsRetainedMessages() {
        stats.clientConnected();
        stats.publishReceived(10);
        new SysPublisher(router, sessions, stats, "1.2.3", now::get).run();

        Map<String, String> sys = retainedSys();
        assertEquals("midge version 1.2.3", sys.get("$SYS/broker/version"));
        assertEquals("0 seconds", sys.get("$SYS/broker/uptime"));
        assertEquals("1", sys.get("$SYS/broker/clients/connected"));
        assertEquals("1", sys.get("$SYS/broker/publish/messages/received"));
        assertEquals("10", sys.get("$SYS/broker/publish/bytes/received"));
        assertTrue(sys.containsKey("$SYS/broker/retained messages/count"));
    }

    @Test
    void publishesAValueAgainOnlyWhenItChanged() {
        SysPublisher sys = new SysPublisher(router, sessions, stats, "1", now::get);
        sys.run();
        router.publish(new Message("$SYS/broker/clients/connected", "stale".getBytes(StandardCharsets.UTF_8), 0, true));
        sys.run();
        assertEquals("stale", retainedSys().get("$SYS/broker/clients/connected"), "unchanged value not republished");

        stats.clientConnected();
        now.addAndGet(5_000);
        sys.run();
        assertEquals("1", retainedSys().get("$SYS/broker/clients/connected"));
        assertEquals("5 seconds", retainedSys().get("$SYS/broker/uptime"));
    }
}
