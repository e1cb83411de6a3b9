package io.midge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * curl-style requests to an HTTP listener, with the JDK's client: one request, its status and
 * body, and whatever credentials the test gives.
 */
final class HttpCalls {

    private static final Duration LIMIT = Duration.ofSeconds(15);

    private final HttpClient client;
    private final String base;

    private HttpCalls(HttpClient client, String base) {
        this.client = client;
        this.base = base;
    }

    static HttpCalls plain(int port) {
        return new HttpCalls(HttpClient.newBuilder().connectTimeout(LIMIT).build(), "http://127.0.0.1:" + port);
    }

    static HttpCalls tls(int port, SSLContext trust) {
        return new HttpCalls(HttpClient.newBuilder().connectTimeout(LIMIT).sslContext(trust).build(),
                "https://127.0.0.1:" + port);
    }

    /** Basic auth credentials, as curl's {@code -u user:password}. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    HttpResponse<String> get(String path, String authorization) {
        return send("GET", path, authorization);
    }

    /** @param authorization the Authorization header, or null for none */
    HttpResponse<String> send(String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(LIMIT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(LIMIT);
    }

    HttpClient client() {
        return client;
    }
}
