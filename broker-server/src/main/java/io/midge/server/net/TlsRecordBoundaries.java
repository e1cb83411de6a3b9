package io.midge.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * Sits just before the TLS handler and hands it what is flushed in groups of whole packets of at
 * most one TLS record (16 KiB), each group flushed on its own, so that a record never ends in the
 * middle of a packet unless the packet alone is larger than a record. Netty's TLS handler fills
 * every record to the brim and so splits packets across records; a client that reads one
 * packet's length from its TLS socket would then get part of it (mosquitto writes a record per
 * packet). Grouping keeps most of the batching: one record and one write per 16 KiB, not per packet.
 *
 * <p>One per TLS connection; buffers nothing between flushes that the TLS handler would not.
 */
final class TlsRecordBoundaries extends ChannelOutboundHandlerAdapter {

    /** The most plaintext a TLS record carries. */
    private static final int RECORD_PLAINTEXT = 16 * 1024;

    private record Pending(ByteBuf bytes, ChannelPromise promise) {}

    /** Created at the first write: idle connections hold nothing. */
    private ArrayDeque<Pending> pending;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.write(msg, promise);
            return;
        }
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
        pending.add(new Pending(bytes, promise));
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (pending == null || pending.isEmpty()) {
            ctx.flush();
            return;
        }
        while (!pending.isEmpty()) {
            int groupBytes = 0;
            do {
                Pending next = pending.poll();
                groupBytes += next.bytes().readableBytes();
                ctx.write(next.bytes(), next.promise());
            } while (!pending.isEmpty() && groupBytes + pending.peek().bytes().readableBytes() <= RECORD_PLAINTEXT);
            ctx.flush();
        }
        pending = null;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        // What was written but never flushed is lost with the connection anyway, as it would be in the TLS handler.
        release();
        ctx.close(promise);
    }

    private void release() {
        if (pending != null) {
            for (Pending p : pending) {
                p.bytes().release();
                p.promise().tryFailure(new ClosedChannelException());
            }
            pending = null;
        }
    }
}
