package io.midge.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {

    private static ConnectionSettings settings(int maxPayloadBytes, int maxPacketSize) {
        return new ConnectionSettings(60, true, "auto-", maxPayloadBytes, true, true, 10_000, 20, maxPacketSize);
    }

    @Test
    void withoutMaxPacketSizeTheDecoderTakesWhatTheProtocolAllows() {
        assertEquals(ConnectionSettings.PROTOCOL_MAX_PACKET, settings(268_435_455, 0).maxRemainingLength());
    }

    /** mosquitto's check is remaining length + 1 > max_packet_size: the length's own bytes are not counted. */
    @Test
    void maxPacketSizeCountsTheFirstByteAndTheRemainingLength() {
        assertEquals(19, settings(268_435_455, 20).maxRemainingLength());
        assertEquals(999, settings(268_435_455, 1000).maxRemainingLength());
    }

    @Test
    void maxPacketSizeAboveTheProtocolLimitIsNoLimit() {
        assertEquals(ConnectionSettings.PROTOCOL_MAX_PACKET, settings(268_435_455, Integer.MAX_VALUE).maxRemainingLength());
    }

    @Test
    void theBufferedPacketLimitIsTheSmallerOfThePayloadLimitAndMaxPacketSize() {
        assertEquals(1024 + 2 + 65_535 + 2, settings(1024, 0).maxPacketBytes());
        assertEquals(99, settings(1024, 100).maxPacketBytes());
    }

    @Test
    void negativeMaxPacketSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> settings(1024, -1));
    }
}
