package io.midge.core.store.mosquitto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.core.message.Message;
import io.midge.core.store.StoreCounts;
import io.midge.core.store.StoredOutbound;
import io.midge.core.store.StoredSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads mosquitto-2.0.db, written by Debian's mosquitto 2.0.11 (see make-fixture.sh beside it
 * for how, and what it holds), and damaged copies of it.
 */
class MosquittoDbReaderTest {

    @TempDir
    Path tmp;

    static byte[] fixture() throws IOException {
        try (InputStream in = MosquittoDbReaderTest.class.getResourceAsStream("mosquitto-2.0.db")) {
            return in.readAllBytes();
        }
    }

    Path fixtureFile() throws IOException {
        return Files.write(tmp.resolve("mosquitto.db"), fixture());
    }

    static String text(Message message) {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }

    static StoredSession session(MosquittoImport.Found found, String clientId) {
        return found.contents().sessions().stream().filter(s -> s.clientId().equals(clientId)).findFirst().orElseThrow();
    }

    @Test
    void readsRetainedMessages() throws Exception {
        MosquittoImport.Found found = MosquittoImport.read(fixtureFile());
        assertEquals(6, found.formatVersion());
        Map<String, Message> retained = found.contents().retained().stream()
                .collect(Collectors.toMap(Message::topic, m -> m));
        assertEquals(Map.of("retained/one", "r1", "retained/two", "r2"),
                retained.values().stream().collect(Collectors.toMap(Message::topic, MosquittoDbReaderTest::text)));
        assertEquals(1, retained.get("retained/one").qos());
        assertEquals(0, retained.get("retained/two").qos());
        assertTrue(retained.values().stream().allMatch(Message::retain));
        assertTrue(retained.get("retained/one").origin().clientId().startsWith("auto-"), "mosquitto_pub's client id");
        assertNull(retained.get("retained/one").origin().username());
    }

    @Test
    void readsQueuedMessagesOfAnOfflineSessionInOrder() throws Exception {
        StoredSession subid = session(MosquittoImport.read(fixtureFile()), "subid");
        assertEquals(Map.of("a/#", 1, "b/+", 2), subid.subscriptions());
        List<String> queued = subid.outbound().stream()
                .map(o -> o.message().topic() + " " + text(o.message()) + " q" + o.qos() + " p" + o.packetId())
                .toList();
        // a/z was QoS 0, which mosquitto does not queue for offline clients
        assertEquals(List.of("a/x m1 q1 p0", "b/y m2 q2 p0"), queued);
        assertTrue(subid.inbound().isEmpty());
        assertNull(subid.will());
        assertTrue(subid.disconnectedAtMillis() > 0, "counted as disconnected when mosquitto saved the file");
    }

    @Test
    void keepsQos2InFlightWithPacketIdAndWhetherPubrecCame() throws Exception {
        StoredSession flight = session(MosquittoImport.read(fixtureFile()), "flight");
        assertEquals(Map.of("f/#", 2), flight.subscriptions());
        List<StoredOutbound> out = flight.outbound();
        assertEquals(List.of("f/one", "f/two"), out.stream().map(o -> o.message().topic()).toList());
        assertEquals(1, out.get(0).packetId());
        assertTrue(out.get(0).released(), "PUBREC came for f/one: only PUBREL is resent");
        assertEquals(2, out.get(1).packetId());
        assertTrue(!out.get(1).released(), "f/two awaits PUBREC");
    }

    @Test
    void inboundQos2AwaitingPubrelBecomesTheSessionsInbound() throws Exception {
        StoredSession inbound = session(MosquittoImport.read(fixtureFile()), "inbound");
        assertEquals(List.of(7), List.copyOf(inbound.inbound().keySet()));
        Message message = inbound.inbound().get(7);
        assertEquals("i/one", message.topic());
        assertEquals("i1", text(message));
        assertEquals(2, message.qos());
        assertEquals("inbound", message.origin().clientId());
    }

    @Test
    void countsWhatItFound() throws Exception {
        MosquittoImport.Found found = MosquittoImport.read(fixtureFile());
        assertEquals(new StoreCounts(2, 3, 3, 4, 2, 1), StoreCounts.of(found.contents()));
        assertEquals(List.of(), found.notes());
        long highest = found.contents().highestMessageId();
        assertTrue(found.contents().sessions().stream().flatMap(s -> s.outbound().stream())
                .allMatch(o -> o.message().id() <= highest));
    }

    @Test
    void everyTruncationIsAClearErrorNamingFileAndOffset() throws Exception {
        byte[] whole = fixture();
        Path file = tmp.resolve("cut.db");
        // Every cut that leaves a part of a chunk: past the header, a cut at a chunk boundary
        // reads as a shorter (valid) file.
        int rejected = 0;
        for (int length = 1; length < whole.length; length++) {
            Files.write(file, Arrays.copyOf(whole, length));
            try {
                MosquittoImport.read(file);
            } catch (MosquittoDbException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                assertTrue(length < 23 || e.getMessage().contains("offset"), e.getMessage());
                rejected++;
            }
        }
        assertTrue(rejected > whole.length * 9 / 10, rejected + " of " + whole.length + " cuts rejected");
    }

    @Test
    void aHugeLengthIsRefusedWithoutAllocatingIt() throws Exception {
        byte[] bytes = fixture();
        // the first stored message chunk's payload length (after its 8 byte chunk header, store id and expiry)
        int payloadLength = 23 + 8 + 16 + 8 + 16;
        bytes[payloadLength] = (byte) 0x7F;
        Path file = Files.write(tmp.resolve("huge.db"), bytes);
        MosquittoDbException e = assertThrows(MosquittoDbException.class, () -> MosquittoImport.read(file));
        assertTrue(e.getMessage().matches(".*damaged at offset \\d+: the payload of \\d+ bytes is longer than.*"),
                e.getMessage());
    }

    @Test
    void refusesOtherFormatVersions() throws Exception {
        byte[] bytes = fixture();
        bytes[22] = 4;
        Path file = Files.write(tmp.resolve("v4.db"), bytes);
        MosquittoDbException e = assertThrows(MosquittoDbException.class, () -> MosquittoImport.read(file));
        assertTrue(e.getMessage().contains("has format version 4; Midge imports versions 5"), e.getMessage());
    }

    @Test
    void refusesWhatIsNotAMosquittoFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("text.db"), "persistence true\n");
        MosquittoDbException e = assertThrows(MosquittoDbException.class, () -> MosquittoImport.read(file));
        assertEquals(file + " is not a mosquitto persistence file (unrecognised header)", e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = tmp.resolve("absent.db");
        MosquittoDbException e = assertThrows(MosquittoDbException.class, () -> MosquittoImport.read(file));
        assertEquals("mosquitto persistence file " + file + " does not exist", e.getMessage());
    }

    @Test
    void anEmptyFileHoldsNothing() throws Exception {
        MosquittoImport.Found found = MosquittoImport.read(Files.write(tmp.resolve("empty.db"), new byte[0]));
        assertTrue(StoreCounts.of(found.contents()).isEmpty());
    }
}
