package io.midge.server.config;

import java.util.List;
import java.util.Objects;

/**
 * Who may use a {@code protocol http} listener (Midge only).
 *
 * @param admins         {@code http_admin}: users from the password file who may also change state
 *                       (disconnect a client, delete a retained message, reload)
 * @param token          {@code http_token}: a bearer token that grants reading, or null for none
 * @param allowAnonymous {@code http_allow_anonymous}: reading without credentials
 */
public record HttpAccessConfig(List<String> admins, String token, boolean allowAnonymous) {

    public static final HttpAccessConfig NONE = new HttpAccessConfig(List.of(), null, false);

    public HttpAccessConfig {
        admins = List.copyOf(Objects.requireNonNull(admins, "admins"));
    }

    boolean isDefault() {
        return admins.isEmpty() && token == null && !allowAnonymous;
    }
}
