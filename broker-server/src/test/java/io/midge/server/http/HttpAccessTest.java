package io.midge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.midge.core.auth.AnonymousOnlyAuthenticator;
import io.midge.core.auth.PasswordFileAuthenticator;
import io.midge.core.auth.PasswordFileEditor;
import io.midge.core.auth.PasswordHash;
import io.midge.core.auth.PasswordFileWriter;
import io.midge.server.config.HttpAccessConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpAccessTest {

    @TempDir
    Path tmp;

    private static HttpHeaders authorization(String value) {
        return new DefaultHttpHeaders().set("Authorization", value);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpAccess withUsers(HttpAccessConfig config) throws Exception {
        Path file = tmp.resolve("passwd");
        PasswordFileEditor users = PasswordFileEditor.empty();
        users.setPassword("alice", PasswordHash.create("a-pass".getBytes(StandardCharsets.UTF_8)));
        users.setPassword("bob", PasswordHash.create("b-pass".getBytes(StandardCharsets.UTF_8)));
        PasswordFileWriter.write(file, users.lines());
        return new HttpAccess(config, PasswordFileAuthenticator.load(file, true));
    }

    @Test
    void usersFromThePasswordFileAndTheirAdminRight() throws Exception {
        HttpAccess access = withUsers(new HttpAccessConfig(List.of("alice"), null, false));

        assertEquals(new Caller("alice", true), access.identify(authorization(basic("alice", "a-pass"))));
        assertEquals(new Caller("bob", false), access.identify(authorization(basic("bob", "b-pass"))));
        assertNull(access.identify(authorization(basic("bob", "a-pass"))));
        assertNull(access.identify(authorization(basic("carol", "x"))));
        assertNull(access.identify(authorization("Basic %%%")));
        assertNull(access.identify(authorization(basic("", "a-pass"))));
        assertNull(access.identify(new DefaultHttpHeaders()), "no anonymous access unless allowed");
    }

    @Test
    void theTokenReadsAndAnonymousOnlyWhenAllowed() throws Exception {
        HttpAccess access = withUsers(new HttpAccessConfig(List.of(), "t0ken", true));

        assertEquals(Caller.ANONYMOUS, access.identify(authorization("Bearer t0ken")));
        assertEquals(Caller.ANONYMOUS, access.identify(authorization("bearer t0ken")));
        assertNull(access.identify(authorization("Bearer t0ke")));
        assertEquals(Caller.ANONYMOUS, access.identify(new DefaultHttpHeaders()));
    }

    @Test
    void withoutAPasswordFileNoUserNameIsTaken() {
        HttpAccess access = new HttpAccess(new HttpAccessConfig(List.of("alice"), null, false),
                new AnonymousOnlyAuthenticator(true));

        assertNull(access.identify(authorization(basic("alice", "anything"))),
                "anyone could claim the admin's name");
    }
}
