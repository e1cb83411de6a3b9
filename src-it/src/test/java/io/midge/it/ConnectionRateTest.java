package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** max_connection_rate_per_address (Midge): an address that opens connections too fast is refused; other addresses are not. */
class ConnectionRateTest {

    private static final int RATE = 5;
    private static final int ATTEMPTS = 20;

    @Test
    void connectionsBeyondTheRateOfOneAddressAreClosedOthersGoOn() throws Exception {
        assumeFalse(BrokerProcess.isMosquitto(), "a Midge option");
        try (BrokerProcess broker = BrokerProcess.start("max_connection_rate_per_address " + RATE)) {
            int admitted = 0;
            for (int i = 0; i < ATTEMPTS; i++) {
                try (RawClient c = RawClient.open(broker.port())) {
                    if (c.sendConnectQuietly(Mqtt.connect(Ids.client("rate"))) != null) {
                        admitted++;
                    }
                }
            }
            // The attempts take well under a second, so they fall in one or two of the one-second windows,
            // which the start's own probe of the port may have opened.
            assertTrue(admitted >= 1 && admitted <= 2 * RATE, "admitted " + admitted + " of " + ATTEMPTS);
            broker.awaitLog("Client connection from 127.0.0.1 denied: max_connection_rate_per_address exceeded.",
                    Duration.ofSeconds(5));
            assertTrue(broker.logText().split("max_connection_rate_per_address exceeded", -1).length - 1 <= 2,
                    "one line per address and second");

            try (Socket other = new Socket()) {
                other.bind(new InetSocketAddress("127.0.0.2", 0));
                other.connect(new InetSocketAddress(BrokerProcess.HOST, broker.port()));
                RawClient c = RawClient.over(other);
                assertNotNull(c.sendConnectQuietly(Mqtt.connect(Ids.client("rate2"))), "another address is counted apart");
            }
            Await.until(Duration.ofSeconds(5), () -> {
                try (RawClient c = RawClient.open(broker.port())) {
                    return c.sendConnectQuietly(Mqtt.connect(Ids.client("rate3"))) != null;
                }
            }, "127.0.0.1 admitted again once a second has passed");
        }
    }
}
