package io.midge.core.auth;

import static io.midge.core.auth.MosquittoFixtures.utf8;
import static io.midge.core.auth.MosquittoFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.core.auth.Authenticator.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileAuthenticatorTest {

    @TempDir
    Path dir;

    private PasswordFileAuthenticator authenticator(boolean allowAnonymous, String... lines) throws Exception {
        return PasswordFileAuthenticator.load(write(dir.resolve("pw"), lines), allowAnonymous);
    }

    @Test
    void acceptsTheRightPasswordOfEitherHashKind() throws Exception {
        PasswordFileAuthenticator auth = authenticator(false, MosquittoFixtures.ALICE_SECRET, MosquittoFixtures.CAROL_SHA512_SECRET);
        assertEquals(Result.ACCEPTED, auth.authenticate("c1", "alice", utf8("secret")));
        assertEquals(Result.ACCEPTED, auth.authenticate("c2", "carol", utf8("secret")));
    }

    /** MQTT 3.1.1 return code 4; mosquitto 2.0.11 answers all of these with 5. */
    @Test
    void refusesWrongCredentialsAsBadUsernameOrPassword() throws Exception {
        PasswordFileAuthenticator auth = authenticator(true, MosquittoFixtures.ALICE_SECRET, MosquittoFixtures.EMPTY);
        assertEquals(Result.BAD_USERNAME_OR_PASSWORD, auth.authenticate("c", "alice", utf8("wrong")));
        assertEquals(Result.BAD_USERNAME_OR_PASSWORD, auth.authenticate("c", "alice", null));
        assertEquals(Result.BAD_USERNAME_OR_PASSWORD, auth.authenticate("c", "bob", utf8("secret")));
        assertEquals(Result.BAD_USERNAME_OR_PASSWORD, auth.authenticate("c", "Alice", utf8("secret")));
        assertEquals(Result.BAD_USERNAME_OR_PASSWORD, auth.authenticate("c", "empty", new byte[0]), "empty password counts as none");
        assertEquals(Result.BAD_USERNAME_OR_PASSWORD, auth.authenticate("c", "alice", utf8("secret\u0000more")));
    }

    @Test
    void anonymousClientsDependOnAllowAnonymous() throws Exception {
        assertEquals(Result.ACCEPTED, authenticator(true, MosquittoFixtures.ALICE_SECRET).authenticate("c", null, null));
        assertEquals(Result.NOT_AUTHORIZED, authenticator(false, MosquittoFixtures.ALICE_SECRET).authenticate("c", null, null));
        assertEquals(Result.NOT_AUTHORIZED, authenticator(false, MosquittoFixtures.ALICE_SECRET).authenticate("c", null, utf8("secret")));
    }

    @Test
    void reloadSwitchesToTheNewAccounts() throws Exception {
        PasswordFileAuthenticator auth = authenticator(false, MosquittoFixtures.ALICE_SECRET);
        write(auth.file(), MosquittoFixtures.CAROL_SHA512_SECRET);

        auth.reload();

        assertEquals(Result.BAD_USERNAME_OR_PASSWORD, auth.authenticate("c", "alice", utf8("secret")));
        assertEquals(Result.ACCEPTED, auth.authenticate("c", "carol", utf8("secret")));
    }

    @Test
    void reloadOfABrokenFileKeepsTheOldAccountsAndSaysWhy() throws Exception {
        PasswordFileAuthenticator auth = authenticator(false, MosquittoFixtures.ALICE_SECRET);
        write(auth.file(), MosquittoFixtures.CAROL_SHA512_SECRET, "bob:plain");

        AuthFileException e = assertThrows(AuthFileException.class, auth::reload);

        assertTrue(e.getMessage().startsWith(auth.file() + ":2: "), e.getMessage());
        assertEquals(Result.ACCEPTED, auth.authenticate("c", "alice", utf8("secret")));
        assertEquals(Result.BAD_USERNAME_OR_PASSWORD, auth.authenticate("c", "carol", utf8("secret")));

        Files.delete(auth.file());
        assertThrows(AuthFileException.class, auth::reload);
        assertEquals(Result.ACCEPTED, auth.authenticate("c", "alice", utf8("secret")));
    }

    @Test
    void loadFailsOnABrokenFile() throws Exception {
        Path file = write(dir.resolve("pw"), "alice");
        assertThrows(AuthFileException.class, () -> PasswordFileAuthenticator.load(file, true));
    }

    /** A reload never opens a window in which an account present before and after is missing. */
    @Test
    void usersInBothVersionsStayAcceptedDuringReloads() throws Exception {
        String[] withCarol = {MosquittoFixtures.ALICE_SECRET, MosquittoFixtures.CAROL_SHA512_SECRET};
        String[] withoutCarol = {MosquittoFixtures.ALICE_SECRET, MosquittoFixtures.EMPTY};
        PasswordFileAuthenticator auth = authenticator(false, withCarol);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger rejections = new AtomicInteger();
        Thread checker = new Thread(() -> {
            while (!stop.get()) {
                if (auth.authenticate("c", "alice", utf8("secret")) != Result.ACCEPTED) {
                    rejections.incrementAndGet();
                }
            }
        });
        checker.start();
        for (int i = 0; i < 50; i++) {
            write(auth.file(), i % 2 == 0 ? withoutCarol : withCarol);
            auth.reload();
        }
        stop.set(true);
        checker.join();
        assertEquals(0, rejections.get());
    }
}
