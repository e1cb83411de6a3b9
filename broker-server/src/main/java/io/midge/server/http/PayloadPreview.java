package io.midge.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The start of a payload as a page can show it: UTF-8 text when it is text, else base64; never
 * more than {@link #MAX_CHARS} characters, so that a large payload costs a viewer nothing more.
 */
record PayloadPreview(String text, boolean base64) {

    static final int MAX_CHARS = 256;
    /** Base64 of this many bytes is 256 characters. */
    private static final int MAX_BINARY_BYTES = MAX_CHARS / 4 * 3;

    static PayloadPreview of(byte[] payload) {
        // Enough bytes for MAX_CHARS characters of any size, cut where no character is split.
        int length = payload.length <= MAX_CHARS * 4 ? payload.length : wholeCharactersBefore(payload, MAX_CHARS * 4);
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload, 0, length)).toString();
            return new PayloadPreview(text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text, false);
        } catch (CharacterCodingException e) {
            byte[] start = payload.length > MAX_BINARY_BYTES ? Arrays.copyOf(payload, MAX_BINARY_BYTES) : payload;
            return new PayloadPreview(Base64.getEncoder().encodeToString(start), true);
        }
    }

    /** {@code end}, moved back before a UTF-8 sequence that starts before it and does not end by it. */
    static int wholeCharactersBefore(byte[] payload, int end) {
        for (int back = 1; back <= 3 && end - back >= 0; back++) {
            int b = payload[end - back] & 0xFF;
            if ((b & 0xC0) != 0x80) { // the lead byte of the last sequence
                int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return length > back ? end - back : end;
            }
        }
        return end;
    }

    String encoding() {
        return base64 ? "base64" : "utf8";
    }
}
