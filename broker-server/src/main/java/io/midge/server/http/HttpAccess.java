package io.midge.server.http;

import io.midge.core.auth.Authenticator;
import io.midge.core.auth.PasswordFileAuthenticator;
import io.midge.server.config.HttpAccessConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * Checks an HTTP request's credentials: basic auth against the listener's password file, a bearer
 * token (http_token), or none where http_allow_anonymous allows it. A user name only counts when it
 * is checked against a password file: without one, mosquitto's listener would take any name, and
 * then anybody could claim an http_admin's.
 */
final class HttpAccess {

    private static final String BASIC = "basic ";
    private static final String BEARER = "bearer ";

    private final HttpAccessConfig config;
    private final Authenticator authenticator;

    HttpAccess(HttpAccessConfig config, Authenticator authenticator) {
        this.config = config;
        this.authenticator = authenticator;
    }

    /** Whether a user name and password can be checked at all (the listener has a password file). */
    boolean checksPasswords() {
        return authenticator instanceof PasswordFileAuthenticator;
    }

    /** @return the caller, or null when the request must be refused (401) */
    Caller identify(HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null) {
            return config.allowAnonymous() ? Caller.ANONYMOUS : null;
        }
        String scheme = authorization.length() > 7 ? authorization.substring(0, 7).toLowerCase(Locale.ROOT) : "";
        if (scheme.startsWith(BASIC)) {
            return basic(authorization.substring(BASIC.length()).trim());
        }
        if (scheme.equals(BEARER) && config.token() != null && sameToken(authorization.substring(BEARER.length()).trim())) {
            return Caller.ANONYMOUS;
        }
        return null;
    }

    private Caller basic(String encoded) {
        if (!checksPasswords()) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String username = decoded.substring(0, colon);
        byte[] password = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        if (authenticator.authenticate(Caller.CLIENT_ID, username, password) != Authenticator.Result.ACCEPTED) {
            return null;
        }
        return new Caller(username, config.admins().contains(username));
    }

    /** In constant time: how long a comparison takes must not tell how much of a guess was right. */
    private boolean sameToken(String offered) {
        return MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8), config.token().getBytes(StandardCharsets.UTF_8));
    }
}
