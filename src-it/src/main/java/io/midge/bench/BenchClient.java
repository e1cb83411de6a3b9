package io.midge.bench;

import io.midge.server.codec.MqttDecoder;
import io.midge.server.codec.MqttEncoder;
import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.Properties;
import io.midge.core.packet.Property;
import io.midge.core.packet.ReasonCode;
import io.midge.server.codec.MqttWire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated MQTT client: a publisher, a subscriber, or (for the conns scenario) neither.
 *
 * <p>The handshake and other rare packets go through the broker's own codec: CONNECT, SUBSCRIBE
 * and DISCONNECT are built with {@link MqttEncoder#encode}, and CONNACK, SUBACK and anything else
 * unusual are framed here and handed, as a slice, to {@link MqttDecoder#forClient} and then to
 * {@link Control}. The hot packets (PUBLISH and its four acknowledgements) are handled in place,
 * straight from the receive buffer, without allocating: only the 16 payload bytes this benchmark
 * wrote are read. Outgoing acknowledgements of one read batch go out in one buffer, with one
 * flush, when the read completes.
 *
 * <p>With {@link RunContext#mqtt5} the client connects with protocol level 5: every packet it
 * sends carries an empty property section (acknowledgements use the short form that leaves out a
 * success reason code), the hand parser skips the property section of inbound PUBLISH packets
 * and accepts the longer MQTT 5 acknowledgements, and a publisher keeps no more QoS 1/2 messages
 * in flight than the broker's CONNACK receive maximum.
 *
 * <p>Everything here runs on the channel's event loop.
 */
final class BenchClient extends ByteToMessageDecoder {

    private static final int PUBLISH = 3, PUBACK = 4, PUBREC = 5, PUBREL = 6, PUBCOMP = 7;
    /** Messages are written in buffers of about this size, one flush each. */
    private static final int BATCH_BYTES = 32 * 1024;

    final RunContext run;
    final String clientId;
    final Publisher publisher;
    final Subscriber subscriber;
    /** Completes after CONNACK (and SUBACK for a subscriber); fails with the reason otherwise. */
    final CompletableFuture<BenchClient> ready = new CompletableFuture<>();

    private ChannelHandlerContext ctx;
    /** For the orchestrating thread; the event loop uses {@link #ctx}. */
    private volatile Channel channel;
    private LoopState loop;
    private ByteBuf acks;
    private boolean pumpScheduled;
    private boolean failed;
    private final Runnable pumpTask = this::pumpFromTask;

    /** Acknowledgements nobody was waiting for, a wrong QoS, malformed packets. */
    long protocolErrors;
    /** PUBLISH packets received by a connection that did not subscribe. */
    long unexpected;
    /** MQTT 5 PUBACK or PUBREC with a failure reason code (0x80 or above): the broker refused the message. */
    long refused;

    private static final int IDLE_KEEP_ALIVE_SECONDS = 60;

    BenchClient(RunContext run, String clientId, Publisher publisher, Subscriber subscriber) {
        this.run = run;
        this.clientId = clientId;
        this.publisher = publisher;
        this.subscriber = subscriber;
    }

    ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline()
                        .addLast("bench", BenchClient.this)
                        .addLast("decoder", MqttDecoder.forClient(MqttWire.MAX_REMAINING_LENGTH,
                                run.mqtt5 ? MqttPacket.Connect.LEVEL_MQTT_5 : MqttPacket.Connect.LEVEL_MQTT_3_1_1))
                        .addLast("control", new Control());
            }
        };
    }

    /** Null until the channel is registered with its event loop. */
    Channel channel() {
        return channel;
    }

    // ---- lifecycle --------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        loop = run.loop(ctx.channel().eventLoop());
        loop.clients.add(this);
        if (publisher != null) {
            loop.publishers.add(this);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // Idle clients (conns) ask for keep alive 60 as real devices do, so the broker pays for watching
        // them; load clients ask for none, as they never go quiet. No run holds idle clients for 60 s.
        int keepAlive = publisher == null && subscriber == null ? IDLE_KEEP_ALIVE_SECONDS : 0;
        boolean cleanSession = subscriber == null || !run.persistentSubscribers;
        // MQTT 5 with no CONNECT properties: the broker's outgoing window stays its own default
        // (mosquitto: max_inflight_messages), as for a 3.1.1 client, so the two compare fairly.
        MqttPacket.Connect connect = run.mqtt5
                ? new MqttPacket.Connect("MQTT", MqttPacket.Connect.LEVEL_MQTT_5, cleanSession, keepAlive, clientId,
                        null, null, null, false, Properties.EMPTY)
                : new MqttPacket.Connect("MQTT", MqttPacket.Connect.LEVEL_MQTT_3_1_1, cleanSession, keepAlive,
                        clientId, null, null, null);
        ctx.writeAndFlush(MqttEncoder.encode(ctx.alloc(), connect), ctx.voidPromise());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!run.closing && !failed) {
            fail("connection closed by the broker");
        }
        super.channelInactive(ctx); // decodes what is left, which may queue acknowledgements
        releaseAcks();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            pumpAndFlush();
        }
        super.channelWritabilityChanged(ctx);
    }

    /**
     * Sends DISCONNECT and closes the connection, as a client must [MQTT-3.14.4-1]. The caller
     * has set {@link RunContext#closing}.
     */
    ChannelFuture disconnect() {
        Channel channel = this.channel;
        if (channel.isActive()) {
            MqttPacket disconnect = run.mqtt5 ? new MqttPacket.Disconnect(ReasonCode.SUCCESS, Properties.EMPTY)
                    : MqttPacket.Empty.DISCONNECT;
            channel.writeAndFlush(MqttEncoder.encode(channel.alloc(), disconnect))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
        return channel.closeFuture();
    }

    private void fail(String reason) {
        if (failed) {
            return;
        }
        failed = true;
        String message = clientId + ": " + reason;
        if (!ready.completeExceptionally(new BenchException(message))) {
            run.error(message);
        }
        ctx.close();
    }

    // ---- receiving --------------------------------------------------------------------------

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        long now = System.nanoTime();
        while (true) {
            int start = in.readerIndex();
            int readable = in.readableBytes();
            if (readable < 2) {
                return;
            }
            int first = in.getUnsignedByte(start);
            int pos = start + 1;
            int remaining = 0;
            int shift = 0;
            int digit;
            do {
                if (pos - start > 4) {
                    malformed(in, "remaining length longer than 4 bytes");
                    return;
                }
                if (pos - start >= readable) {
                    return;
                }
                digit = in.getUnsignedByte(pos++);
                remaining |= (digit & 0x7F) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            if (pos - start + remaining > readable) {
                return;
            }
            int type = first >>> 4;
            int flags = first & 0x0F;
            if (type == PUBLISH) {
                if (!onPublish(flags, in, pos, remaining, now)) {
                    return;
                }
            } else if (type >= PUBACK && type <= PUBCOMP) {
                if (!onAck(type, flags, in, pos, remaining)) {
                    return;
                }
            } else {
                // CONNACK, SUBACK, ...: one whole packet for the codec.
                out.add(in.readRetainedSlice(pos - start + remaining));
                return;
            }
            in.readerIndex(pos + remaining);
        }
    }

    private boolean onPublish(int flags, ByteBuf in, int offset, int length, long now) {
        int qos = (flags >> 1) & 0x03;
        if (qos == 3 || length < 2) {
            return malformed(in, "PUBLISH with QoS 3 or without a topic");
        }
        int end = offset + length;
        int p = offset + 2 + in.getUnsignedShort(offset);
        int packetId = 0;
        if (qos > 0) {
            if (p + 2 > end || (packetId = in.getUnsignedShort(p)) == 0) {
                return malformed(in, "PUBLISH without a valid packet identifier");
            }
            p += 2;
        }
        if (run.mqtt5 && p <= end) {
            p = skipProperties(in, p, end);
            if (p < 0) {
                return malformed(in, "PUBLISH property length malformed or longer than the packet");
            }
        }
        if (p > end) {
            return malformed(in, "PUBLISH topic longer than the packet");
        }
        Subscriber s = subscriber;
        if (s == null) {
            unexpected++;
        } else if (end - p < Publisher.HEADER_BYTES) {
            s.received++;
            s.unexpected++;
        } else {
            s.onMessage(in.getInt(p), in.getUnsignedInt(p + 4));
            long sentAt = in.getLong(p + 8);
            long windowStart = run.measureStart;
            long windowEnd = run.measureEnd;
            if (now >= windowStart && now < windowEnd) {
                s.receivedInWindow++;
            }
            if (sentAt >= windowStart && sentAt < windowEnd) {
                loop.recordLatency(now - sentAt);
            }
        }
        if (qos != run.qos) {
            protocolErrors++;
        }
        if (qos == 1) {
            queueAck(PUBACK << 4, packetId);
        } else if (qos == 2) {
            queueAck(PUBREC << 4, packetId);
        }
        return true;
    }

    /**
     * @return the index after MQTT 5's property section that starts at {@code p}, or -1 when its
     *         length (a variable byte integer) is malformed or runs past {@code end}
     */
    private static int skipProperties(ByteBuf in, int p, int end) {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            if (p >= end || shift > 21) {
                return -1;
            }
            int digit = in.getUnsignedByte(p++);
            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                break;
            }
        }
        return length > end - p ? -1 : p + length;
    }

    private boolean onAck(int type, int flags, ByteBuf in, int offset, int length) {
        // 3.1.1: exactly the packet id. MQTT 5: the id, then optionally a reason code (0 when
        // absent) and a property section.
        boolean lengthOk = run.mqtt5 ? length >= 2 && (length < 4 || skipProperties(in, offset + 3, offset + length)
                == offset + length) : length == 2;
        if (!lengthOk || flags != (type == PUBREL ? 0x02 : 0)) {
            return malformed(in, "acknowledgement " + type + " with flags " + flags + ", length " + length);
        }
        int id = in.getUnsignedShort(offset);
        int reason = length > 2 ? in.getUnsignedByte(offset + 2) : ReasonCode.SUCCESS;
        boolean failure = reason >= 0x80;
        Publisher p = publisher;
        switch (type) {
            case PUBACK -> {
                if (p == null || !p.onPubAck(id)) {
                    protocolErrors++;
                } else if (failure) {
                    refused++;
                }
            }
            case PUBREC -> {
                if (failure) {
                    if (p == null || !p.onPubRecRefused(id)) {
                        protocolErrors++;
                    } else {
                        refused++;
                    }
                } else if (p == null || !p.onPubRec(id)) {
                    protocolErrors++;
                } else {
                    queueAck(PUBREL << 4 | 0x02, id);
                }
            }
            case PUBCOMP -> {
                if (p == null || !p.onPubComp(id) || failure) {
                    protocolErrors++; // a failing PUBCOMP (0x92): the broker lost track of the id
                }
            }
            default -> { // PUBREL
                if (failure) {
                    protocolErrors++;
                }
                queueAck(PUBCOMP << 4, id);
            }
        }
        return true;
    }

    private boolean malformed(ByteBuf in, String what) {
        protocolErrors++;
        in.skipBytes(in.readableBytes());
        fail("malformed packet from the broker: " + what);
        return false;
    }

    private void queueAck(int firstByte, int packetId) {
        ByteBuf b = acks;
        if (b == null) {
            acks = b = ctx.alloc().ioBuffer(256);
        }
        b.writeByte(firstByte).writeByte(2).writeShort(packetId);
    }

    private void releaseAcks() {
        if (acks != null) {
            acks.release();
            acks = null;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        boolean wrote = false;
        if (acks != null) {
            ctx.write(acks, ctx.voidPromise());
            acks = null;
            wrote = true;
        }
        if (pump() > 0) {
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        super.channelReadComplete(ctx);
    }

    // ---- sending ----------------------------------------------------------------------------

    /** On the loop, at the start of the measured run (warm-up included). */
    void startPublishing() {
        publisher.running = true;
        pumpAndFlush();
    }

    void pumpAndFlush() {
        if (pump() > 0) {
            ctx.flush();
        }
    }

    private void pumpFromTask() {
        pumpScheduled = false;
        pumpAndFlush();
    }

    /**
     * Writes (without flushing) one buffer of as many messages as the window, the channel's
     * writability and, when paced, the schedule allow; an unpaced publisher that could send
     * more comes back in a task, so reads and other channels on the loop get their turn.
     *
     * @return how many messages were written
     */
    private int pump() {
        Publisher p = publisher;
        if (p == null || !p.running) {
            return 0;
        }
        Channel channel = ctx.channel();
        if (!channel.isActive() || !channel.isWritable()) {
            return 0;
        }
        long now = System.nanoTime();
        if (now >= run.measureEnd) {
            p.running = false;
            return 0;
        }
        int n = p.sendable(now, Math.max(1, BATCH_BYTES / p.wireSize));
        if (n <= 0) {
            return 0;
        }
        ByteBuf buf = ctx.alloc().ioBuffer(n * p.wireSize);
        for (int i = 0; i < n; i++) {
            p.writeMessage(buf, now);
        }
        ctx.write(buf, ctx.voidPromise());
        if (now >= run.measureStart) {
            p.sentInWindow += n;
        }
        if (!p.paced() && !pumpScheduled && channel.isWritable() && p.sendable(now, 1) > 0) {
            pumpScheduled = true;
            channel.eventLoop().execute(pumpTask);
        }
        return n;
    }

    // ---- the rare packets, decoded by the broker's codec ----------------------------------

    private final class Control extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof MqttPacket.ConnAck connAck) {
                if (connAck.returnCode() != 0) {
                    fail("CONNACK return code " + connAck.returnCode());
                    return;
                }
                if (run.mqtt5 && publisher != null) {
                    // Absent means 65535 (spec 3.2.2.3.3).
                    publisher.limitWindow(connAck.properties().intValue(Property.RECEIVE_MAXIMUM, 65535));
                }
                if (subscriber != null) {
                    MqttPacket.Subscribe subscribe = new MqttPacket.Subscribe(1,
                            List.of(new MqttPacket.TopicSubscription(subscriber.filter, run.qos)),
                            run.mqtt5 ? Properties.EMPTY : Properties.ABSENT);
                    ctx.writeAndFlush(MqttEncoder.encode(ctx.alloc(), subscribe), ctx.voidPromise());
                } else {
                    ready.complete(BenchClient.this);
                }
            } else if (msg instanceof MqttPacket.SubAck subAck) {
                int granted = subAck.returnCodes()[0] & 0xFF;
                if (subAck.packetId() != 1 || granted != run.qos) {
                    fail("SUBACK " + subAck.packetId() + " granted " + granted + " for QoS " + run.qos);
                } else {
                    ready.complete(BenchClient.this);
                }
            } else if (msg instanceof MqttPacket.Disconnect disconnect) {
                protocolErrors++;
                fail(String.format("DISCONNECT from the broker, reason 0x%02x", disconnect.reasonCode()));
            } else {
                protocolErrors++; // nothing else was asked for: no PINGREQ, no UNSUBSCRIBE
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            protocolErrors++;
            fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }
}
