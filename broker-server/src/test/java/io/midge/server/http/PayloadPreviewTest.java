package io.midge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadPreviewTest {

    @Test
    void textIsShownAsTextCutTo256Characters() {
        assertEquals(new PayloadPreview("21.5", false), PayloadPreview.of("21.5".getBytes(StandardCharsets.UTF_8)));
        PayloadPreview longText = PayloadPreview.of("é".repeat(5000).getBytes(StandardCharsets.UTF_8));
        assertFalse(longText.base64());
        assertEquals("é".repeat(256), longText.text());
    }

    @Test
    void aCutThroughAMultiByteCharacterIsStillText() {
        // 1023 ASCII bytes, then a 4-byte character across the 1024-byte cut.
        byte[] payload = ("a".repeat(1023) + "😀").getBytes(StandardCharsets.UTF_8);
        PayloadPreview preview = PayloadPreview.of(payload);
        assertFalse(preview.base64());
        assertEquals("a".repeat(256), preview.text());
    }

    @Test
    void binaryIsBase64OfItsFirst192Bytes() {
        assertEquals(new PayloadPreview("/wAB", true), PayloadPreview.of(new byte[] {(byte) 0xff, 0, 1}));
        byte[] large = new byte[10_000];
        large[0] = (byte) 0xC3; // a lead byte without its continuation
        PayloadPreview preview = PayloadPreview.of(large);
        assertTrue(preview.base64());
        assertEquals(256, preview.text().length());
    }
}
