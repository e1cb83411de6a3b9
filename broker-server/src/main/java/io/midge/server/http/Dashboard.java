package io.midge.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The dashboard: one page, with its script and styles inside, from the broker's own jar. */
final class Dashboard {

    private static final byte[] PAGE = load();

    private Dashboard() {
    }

    static HttpReply page() {
        return new HttpReply(HttpResponseStatus.OK, "text/html; charset=utf-8", PAGE);
    }

    private static byte[] load() {
        try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
