package io.midge.server.http;

import io.midge.core.message.Message;
import io.midge.core.route.Router;
import io.midge.core.session.ClientInfo;
import io.midge.core.session.Session;
import io.midge.core.session.SessionView;
import io.midge.core.topic.SubscriptionOptions;
import io.midge.core.topic.Topics;
import io.midge.server.config.ListenerConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The JSON API under {@code /api/v1/}: docs/http-api.md describes every endpoint. Runs on the
 * HTTP worker, not on an event loop: listing clients or retained messages walks the broker's
 * state, and a session's own state is read on its owner loop.
 */
final class ApiEndpoints {

    private static final Logger log = LoggerFactory.getLogger("midge");
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    private static final long SESSION_READ_TIMEOUT_SECONDS = 5;

    private final HttpContext context;

    ApiEndpoints(HttpContext context) {
        this.context = context;
    }

    HttpReply version() {
        return HttpReply.json(new JsonWriter().beginObject()
                .field("version", context.version())
                .field("uptime_seconds", context.uptimeSeconds())
                .field("started_at_ms", context.startedAtMillis())
                .endObject().toString());
    }

    HttpReply stats() {
        return HttpReply.json(StatsJson.of(context));
    }

    HttpReply listeners() {
        JsonWriter json = new JsonWriter().beginObject().name("listeners").beginArray();
        for (ListenerConfig listener : context.listeners()) {
            json.beginObject()
                    .field("port", listener.port())
                    .field("bind_address", listener.bindAddress())
                    .field("protocol", listener.protocol().name().toLowerCase(Locale.ROOT))
                    .field("tls", listener.isTls())
                    .field("mount_point", listener.mountPoint())
                    .field("max_connections", listener.maxConnections())
                    .endObject();
        }
        return HttpReply.json(json.endArray().endObject().toString());
    }

    /** Sessions in client id order, a page of them, each read on its owner loop. */
    HttpReply clients(Page page) {
        List<Session> sessions = new ArrayList<>(context.services().sessions().all());
        sessions.sort(Comparator.comparing(Session::clientId));
        List<Session> slice = page.of(sessions);
        List<SessionView> views = new ArrayList<>(slice.size());
        for (CompletableFuture<SessionView> view : slice.stream().map(ApiEndpoints::viewOf).toList()) {
            SessionView read = await(view);
            if (read != null) {
                views.add(read);
            }
        }
        JsonWriter json = new JsonWriter().beginObject()
                .field("total", sessions.size())
                .field("offset", page.offset())
                .field("limit", page.limit())
                .name("clients").beginArray();
        views.forEach(view -> writeClient(json, view, false));
        return HttpReply.json(json.endArray().endObject().toString());
    }

    HttpReply client(String clientId) {
        Session session = context.services().sessions().get(clientId);
        SessionView view = session == null ? null : await(viewOf(session));
        if (view == null) {
            return HttpReply.error(HttpResponseStatus.NOT_FOUND, "no session for client id " + clientId);
        }
        JsonWriter json = new JsonWriter();
        writeClient(json, view, true);
        return HttpReply.json(json.toString());
    }

    HttpReply disconnect(String clientId, Caller caller) {
        Session session = context.services().sessions().get(clientId);
        if (session == null) {
            return HttpReply.error(HttpResponseStatus.NOT_FOUND, "no session for client id " + clientId);
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        session.owner().execute(() -> done.complete(session.owner().inEventLoop() && session.disconnectByAdministrator()));
        Boolean disconnected = await(done);
        if (disconnected == null || !disconnected) {
            return HttpReply.error(HttpResponseStatus.CONFLICT, "client " + clientId + " is not connected");
        }
        log.info("Client {} disconnected through the HTTP API by {}.", clientId, caller.username());
        return HttpReply.json(new JsonWriter().beginObject().field("disconnected", clientId).endObject().toString());
    }

    /** Retained messages whose topics the filter matches, in topic order. */
    HttpReply retained(String filter, Page page) {
        if (!Router.isAcceptableFilter(filter)) {
            return HttpReply.error(HttpResponseStatus.BAD_REQUEST, "not a valid topic filter: " + filter);
        }
        List<Message> matching = new ArrayList<>();
        context.services().router().retained().forEachMatching(filter, matching::add);
        matching.sort(Comparator.comparing(Message::topic));
        JsonWriter json = new JsonWriter().beginObject()
                .field("total", matching.size())
                .field("offset", page.offset())
                .field("limit", page.limit())
                .field("filter", filter)
                .name("messages").beginArray();
        for (Message message : page.of(matching)) {
            PayloadPreview preview = PayloadPreview.of(message.payload());
            json.beginObject()
                    .field("topic", message.topic())
                    .field("qos", message.qos())
                    .field("bytes", message.payload().length)
                    .field("payload", preview.text())
                    .field("encoding", preview.encoding())
                    .endObject();
        }
        return HttpReply.json(json.endArray().endObject().toString());
    }

    /** As {@code mosquitto_pub -r -n}: an empty retained message, on the message path, so subscribers and the store see it. */
    HttpReply deleteRetained(String topic, Caller caller) {
        if (topic == null || !Topics.isValidTopicName(topic)) {
            return HttpReply.error(HttpResponseStatus.BAD_REQUEST, "the topic parameter must be a topic name without wildcards");
        }
        boolean[] found = {false};
        context.services().router().retained().forEachMatching(topic, message -> found[0] = true);
        if (!found[0]) {
            return HttpReply.error(HttpResponseStatus.NOT_FOUND, "no retained message on topic " + topic);
        }
        context.services().router().publish(new Message(topic, new byte[0], 0, true));
        log.info("Retained message on topic {} deleted through the HTTP API by {}.", topic, caller.username());
        return HttpReply.json(new JsonWriter().beginObject().field("deleted", topic).endObject().toString());
    }

    HttpReply reload(Caller caller) {
        log.info("Reload requested through the HTTP API by {}.", caller.username());
        context.reload().run();
        return HttpReply.json(new JsonWriter().beginObject().field("reloading", true).endObject().toString());
    }

    /** {@code $SYS} as nested objects: {@code {"$SYS":{"broker":{"uptime":"12 seconds",...}}}}; a value with children is under "". */
    HttpReply sys() {
        TreeMap<String, Object> root = new TreeMap<>();
        context.services().router().retained().forEachMatching("$SYS/#", message -> place(root, message));
        JsonWriter json = new JsonWriter();
        writeTree(json, root);
        return HttpReply.json(json.toString());
    }

    @SuppressWarnings("unchecked")
    private static void place(TreeMap<String, Object> root, Message message) {
        String[] levels = message.topic().split("/", -1);
        TreeMap<String, Object> node = root;
        for (int i = 0; i < levels.length - 1; i++) {
            Object child = node.get(levels[i]);
            if (!(child instanceof TreeMap)) {
                TreeMap<String, Object> branch = new TreeMap<>();
                if (child != null) {
                    branch.put("", child);
                }
                node.put(levels[i], branch);
                child = branch;
            }
            node = (TreeMap<String, Object>) child;
        }
        String value = PayloadPreview.of(message.payload()).text();
        String leaf = levels[levels.length - 1];
        if (node.get(leaf) instanceof TreeMap<?, ?> branch) {
            ((TreeMap<String, Object>) branch).put("", value);
        } else {
            node.put(leaf, value);
        }
    }

    private static void writeTree(JsonWriter json, Map<String, Object> node) {
        json.beginObject();
        for (Map.Entry<String, Object> entry : node.entrySet()) {
            json.name(entry.getKey());
            if (entry.getValue() instanceof Map<?, ?> child) {
                @SuppressWarnings("unchecked")
                Map<String, Object> branch = (Map<String, Object>) child;
                writeTree(json, branch);
            } else {
                json.value((String) entry.getValue());
            }
        }
        json.endObject();
    }

    private static CompletableFuture<SessionView> viewOf(Session session) {
        CompletableFuture<SessionView> view = new CompletableFuture<>();
        // The owner may change while the task travels (the client reconnects elsewhere): then it is read on the new one.
        Runnable[] read = new Runnable[1];
        read[0] = () -> {
            if (session.owner().inEventLoop()) {
                view.complete(session.view());
            } else {
                session.owner().execute(read[0]);
            }
        };
        session.owner().execute(read[0]);
        return view;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(SESSION_READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void writeClient(JsonWriter json, SessionView view, boolean withSubscriptions) {
        ClientInfo client = view.client();
        json.beginObject()
                .field("id", view.clientId())
                .field("connected", view.connected())
                .field("persistent", view.persistent())
                .field("address", client.address())
                .field("protocol", client.protocol())
                .field("username", client.username())
                .field("keep_alive", client.keepAliveSeconds())
                .field("bridge", client.bridge())
                .field("queued", view.queued())
                .field("inflight", view.inflight())
                .field("dropped", view.dropped());
        if (withSubscriptions) {
            json.name("subscriptions").beginArray();
            new TreeMap<>(view.subscriptions()).forEach((filter, options) -> json.beginObject()
                    .field("filter", filter)
                    .field("qos", SubscriptionOptions.qos(options))
                    .endObject());
            json.endArray();
        } else {
            json.field("subscriptions", view.subscriptions().size());
        }
        json.endObject();
    }

    /** offset and limit query parameters, checked. */
    record Page(int offset, int limit) {

        <T> List<T> of(List<T> all) {
            int from = Math.min(offset, all.size());
            return all.subList(from, Math.min(all.size(), from + limit));
        }
    }
}
