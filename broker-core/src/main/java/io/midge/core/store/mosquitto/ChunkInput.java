package io.midge.core.store.mosquitto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads the fields of a mosquitto persistence file, never past the end of what it was given
 * (the file, or one chunk of it): every length is checked against what is left before anything
 * is allocated, so a damaged file is an error naming the offset rather than a huge allocation.
 *
 * <p>mosquitto writes its structs as they are in memory: 16 and 32 bit fields in network order,
 * but 64 bit ones (store ids, times) in the byte order of the machine that wrote the file, which
 * is little-endian on every platform mosquitto 2.0 is packaged for.
 */
final class ChunkInput {

    private final Path file;
    private final ByteBuffer bytes;
    private final long baseOffset;

    ChunkInput(Path file, ByteBuffer bytes, long baseOffset) {
        this.file = file;
        this.bytes = bytes.slice().order(ByteOrder.BIG_ENDIAN);
        this.baseOffset = baseOffset;
    }

    long offset() {
        return baseOffset + bytes.position();
    }

    int remaining() {
        return bytes.remaining();
    }

    /** The next {@code length} bytes as an input of their own, for one chunk. */
    ChunkInput chunk(long length, String what) throws MosquittoDbException {
        need(length, what);
        long start = offset();
        ByteBuffer slice = bytes.slice().limit((int) length);
        bytes.position(bytes.position() + (int) length);
        return new ChunkInput(file, slice, start);
    }

    void skip(long length, String what) throws MosquittoDbException {
        need(length, what);
        bytes.position(bytes.position() + (int) length);
    }

    int u8() throws MosquittoDbException {
        need(1, "a byte");
        return bytes.get() & 0xFF;
    }

    int u16() throws MosquittoDbException {
        need(2, "a 16 bit field");
        return bytes.getShort() & 0xFFFF;
    }

    long u32() throws MosquittoDbException {
        need(4, "a 32 bit field");
        return bytes.getInt() & 0xFFFFFFFFL;
    }

    /** A 64 bit field written in the writer's (little-endian) byte order. */
    long hostOrder64() throws MosquittoDbException {
        need(8, "a 64 bit field");
        long value = bytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
        bytes.order(ByteOrder.BIG_ENDIAN);
        return value;
    }

    byte[] bytes(long length, String what) throws MosquittoDbException {
        need(length, what);
        byte[] copy = new byte[(int) length];
        bytes.get(copy);
        return copy;
    }

    /** A string of {@code length} bytes; null when empty, as mosquitto reads it. */
    String string(int length, String what) throws MosquittoDbException {
        if (length == 0) {
            return null;
        }
        long at = offset();
        byte[] raw = bytes(length, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw damaged(at, what + " is not UTF-8");
        }
    }

    MosquittoDbException damaged(String what) {
        return damaged(offset(), what);
    }

    MosquittoDbException damaged(long at, String what) {
        return new MosquittoDbException("mosquitto persistence file " + file + " is damaged at offset " + at + ": " + what);
    }

    private void need(long length, String what) throws MosquittoDbException {
        if (length < 0 || length > bytes.remaining()) {
            throw damaged(what + " of " + length + " bytes is longer than the " + bytes.remaining()
                    + " bytes left" + (baseOffset == 0 ? " in the file" : " in its chunk"));
        }
    }
}
