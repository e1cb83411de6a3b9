package io.midge.server.http;

import io.midge.core.auth.Authorizer;
import io.midge.core.message.Message;
import io.midge.core.route.DrainWaiter;
import io.midge.core.route.Router;
import io.midge.core.route.Subscriber;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's live view of the broker, as server-sent events on one HTTP response: the
 * running totals every second, and the topics that changed, each with its latest payload, four
 * times a second. It subscribes to every topic like a client would, on the message path, and
 * passes on only what the ACL lets the caller read.
 *
 * <p>The retained messages found at the start go first, all of them, each event written as soon as
 * the socket took the one before: a live update is newer than its topic's retained message, and
 * must be the one the page ends up showing.
 *
 * <p>Bounded, whatever the traffic: only the latest update per topic waits, at most
 * {@link #MAX_PENDING_TOPICS} topics of them, with a payload preview instead of the payload; and
 * nothing is written while the socket is full, so a slow viewer sees fewer, later updates and
 * never holds up a publisher ({@link #isCongested()} is always false). All state is the channel's
 * event loop's.
 */
final class TopicFeed implements Subscriber {

    private static final List<String> FILTERS = List.of("#", "$SYS/#");
    static final int MAX_PENDING_TOPICS = 20_000;
    /** Retained messages sent as the stream starts; more are left out (and the page says how many topics it has). */
    static final int MAX_RETAINED_AT_START = 100_000;
    private static final int MAX_TOPICS_PER_EVENT = 2_000;
    private static final long BATCH_MILLIS = 250;
    private static final long STATS_MILLIS = 1_000;

    private final Channel channel;
    private final HttpContext context;
    private final Authorizer authorizer;
    private final String username;
    private final LinkedHashMap<String, Update> pending = new LinkedHashMap<>();
    /** Retained messages found at the start, sent in batches as the socket takes them. */
    private final ArrayDeque<Message> retainedBacklog = new ArrayDeque<>();
    private ScheduledFuture<?> batches;
    private ScheduledFuture<?> statsTicks;

    private record Update(String topic, PayloadPreview preview, int bytes, boolean retained, int qos, long timeMillis) {}

    TopicFeed(Channel channel, HttpContext context, Authorizer authorizer, String username) {
        this.channel = channel;
        this.context = context;
        this.authorizer = authorizer;
        this.username = username;
    }

    /** Subscribes and starts the events; call on the channel's loop once the response head is written. */
    void start() {
        Router router = context.services().router();
        for (String filter : FILTERS) {
            router.subscribeObserver(filter, this, 0);
        }
        for (String filter : FILTERS) {
            router.retained().forEachMatching(filter, message -> {
                if (retainedBacklog.size() < MAX_RETAINED_AT_START) {
                    retainedBacklog.add(message);
                }
            });
        }
        sendStats();
        sendRetainedBacklog();
        batches = channel.eventLoop().scheduleAtFixedRate(this::sendBatch, 0, BATCH_MILLIS, TimeUnit.MILLISECONDS);
        statsTicks = channel.eventLoop().scheduleAtFixedRate(this::sendStats, STATS_MILLIS, STATS_MILLIS,
                TimeUnit.MILLISECONDS);
        // Last: a channel closed already runs stop() at once, and it must find everything to undo.
        channel.closeFuture().addListener(closed -> stop());
    }

    private void stop() {
        Router router = context.services().router();
        for (String filter : FILTERS) {
            router.unsubscribeObserver(filter, this);
        }
        batches.cancel(false);
        statsTicks.cancel(false);
        pending.clear();
        retainedBacklog.clear();
        context.openStreams().decrementAndGet();
    }

    /** A viewer whose socket takes nothing for this long is gone or stuck; its page reconnects if it is not. */
    private static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(30);
    private long unwritableSinceNanos;

    private void sendStats() {
        if (!channel.isActive()) {
            return;
        }
        if (channel.isWritable()) {
            unwritableSinceNanos = 0;
            write("stats", StatsJson.of(context));
        } else if (unwritableSinceNanos == 0) {
            unwritableSinceNanos = System.nanoTime();
        } else if (System.nanoTime() - unwritableSinceNanos > STALLED_NANOS) {
            channel.close();
        }
    }

    /** One event of the retained backlog, then the next once the socket has taken it, until none is left. */
    private void sendRetainedBacklog() {
        if (!channel.isActive() || retainedBacklog.isEmpty()) {
            return;
        }
        JsonWriter json = new JsonWriter().beginArray();
        int topics = 0;
        while (topics < MAX_TOPICS_PER_EVENT && !retainedBacklog.isEmpty()) {
            Message message = retainedBacklog.poll();
            if (mayRead(message.topic())) {
                append(json, updateOf(message));
                topics++;
            }
        }
        if (topics == 0) {
            return;
        }
        write("topics", json.endArray().toString()).addListener(written -> {
            if (written.isSuccess()) {
                sendRetainedBacklog();
            }
        });
    }

    private void sendBatch() {
        // While the retained backlog is being sent, live updates wait (the latest per topic): sent
        // now, they would be followed by the older retained message of their topic.
        if (!channel.isActive() || !channel.isWritable() || !retainedBacklog.isEmpty() || pending.isEmpty()) {
            return;
        }
        JsonWriter json = new JsonWriter().beginArray();
        Iterator<Update> updates = pending.values().iterator();
        for (int i = 0; i < MAX_TOPICS_PER_EVENT && updates.hasNext(); i++) {
            append(json, updates.next());
            updates.remove();
        }
        write("topics", json.endArray().toString());
    }

    private static void append(JsonWriter json, Update update) {
        json.beginObject()
                .field("topic", update.topic())
                .field("payload", update.preview().text())
                .field("encoding", update.preview().encoding())
                .field("bytes", update.bytes())
                .field("retained", update.retained())
                .field("qos", update.qos())
                .field("time_ms", update.timeMillis())
                .endObject();
    }

    private ChannelFuture write(String event, String data) {
        ByteBuf buffer = channel.alloc().buffer(data.length() + event.length() + 16);
        buffer.writeBytes(("event: " + event + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
        // JSON without raw newlines is one data line.
        ByteBufUtil.writeUtf8(buffer, data);
        buffer.writeByte('\n').writeByte('\n');
        return channel.writeAndFlush(new DefaultHttpContent(buffer));
    }

    /** The latest message of a topic replaces the one waiting; a new topic waits only while there is room. */
    private void record(Message message) {
        String topic = message.topic();
        if (!mayRead(topic)) {
            return;
        }
        if (pending.remove(topic) == null && pending.size() >= MAX_PENDING_TOPICS) {
            return;
        }
        pending.put(topic, updateOf(message));
    }

    private boolean mayRead(String topic) {
        return authorizer.canRead(Caller.CLIENT_ID, username, topic);
    }

    private static Update updateOf(Message message) {
        return new Update(message.topic(), PayloadPreview.of(message.payload()), message.payload().length,
                message.retain(), message.qos(), System.currentTimeMillis());
    }

    // ---- Subscriber ----

    @Override
    public EventExecutor owner() {
        return channel.eventLoop();
    }

    @Override
    public String clientId() {
        return null;
    }

    @Override
    public boolean deliver(Message message, int qos, boolean retain, long stored) {
        if (channel.isActive()) {
            record(message);
        }
        return true;
    }

    @Override
    public long storeDelivery(Message message, int qos, boolean retain) {
        return 0;
    }

    @Override
    public void incomingSent() {
    }

    @Override
    public void incomingArrived() {
    }

    @Override
    public boolean isCongested() {
        return false;
    }

    @Override
    public void awaitDrain(DrainWaiter waiter) {
        waiter.loop().execute(() -> waiter.drained(this));
    }
}
