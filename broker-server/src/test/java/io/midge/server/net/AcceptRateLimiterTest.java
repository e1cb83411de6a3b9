package io.midge.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AcceptRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong();

    private static InetAddress address(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void admitsTheRateEachSecondAndSaysOnceWhenItRefuses() throws Exception {
        AcceptRateLimiter limiter = new AcceptRateLimiter(2, nanos::get, 100);
        InetAddress a = address(1);
        assertEquals(AcceptRateLimiter.Verdict.ADMIT, limiter.admit(a));
        assertEquals(AcceptRateLimiter.Verdict.ADMIT, limiter.admit(a));
        assertEquals(AcceptRateLimiter.Verdict.REFUSE_FIRST, limiter.admit(a));
        assertEquals(AcceptRateLimiter.Verdict.REFUSE, limiter.admit(a));
        assertEquals(AcceptRateLimiter.Verdict.ADMIT, limiter.admit(address(2)), "each address has its own count");

        nanos.addAndGet(1_000_000_000L);
        assertEquals(AcceptRateLimiter.Verdict.ADMIT, limiter.admit(a), "a new second, a new count");
    }

    @Test
    void aFullTableDropsPastSecondsAndOtherwiseLetsNewAddressesInUncounted() throws Exception {
        AcceptRateLimiter limiter = new AcceptRateLimiter(1, nanos::get, 3);
        for (int i = 1; i <= 3; i++) {
            limiter.admit(address(i));
        }
        InetAddress fourth = address(4);
        assertEquals(AcceptRateLimiter.Verdict.ADMIT, limiter.admit(fourth));
        assertEquals(AcceptRateLimiter.Verdict.ADMIT, limiter.admit(fourth), "not counted: no room to count it");
        assertEquals(3, limiter.trackedAddresses());

        nanos.addAndGet(1_000_000_000L);
        assertEquals(AcceptRateLimiter.Verdict.ADMIT, limiter.admit(fourth));
        assertEquals(1, limiter.trackedAddresses(), "the past second's windows are gone");
        assertEquals(AcceptRateLimiter.Verdict.REFUSE_FIRST, limiter.admit(fourth));
    }
}
