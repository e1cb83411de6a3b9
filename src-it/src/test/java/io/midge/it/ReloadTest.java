package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP ({@code kill -HUP PID}) re-reads {@code password_file} and {@code acl_file} without
 * dropping connections; a file that is broken at reload time keeps the old rules and is logged as
 * an error naming the file. Each test starts its own broker:
 * <pre>
 * listener P 127.0.0.1
 * allow_anonymous false
 * password_file PW
 * acl_file ACL
 * </pre>
 * mosquitto 2.0.11 differs on broken files: after a failed reload it has no ACL at all (every
 * topic allowed) and, with the password file gone, no account (with {@code allow_anonymous false}
 * every login is refused with 5; with {@code allow_anonymous true} any password would pass). The
 * reference run expects that instead of the kept rules.
 */
class ReloadTest {

    static final Duration RELOAD = Duration.ofSeconds(5);
    static final Duration QUIET = Duration.ofMillis(300);

    @TempDir
    Path tmp;

    BrokerProcess start(Path pw, Path acl) {
        int port = BrokerProcess.freePorts(1)[0];
        return BrokerProcess.startConfig(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + pw,
                "acl_file " + acl), port);
    }

    static RawClient login(BrokerProcess b, String user) {
        return RawClient.connect(b.port(), Mqtt.connect(Ids.client(user)).username(user).password(user + "-pw"), true);
    }

    @Test
    void sighupRereadsThePasswordFileAndKeepsExistingConnections() {
        TestFiles.shareDir(tmp);
        Path pw = TestFiles.mosquittoPasswd(tmp.resolve("pw"), true, "alice", "alice-pw");
        Path acl = TestFiles.write(tmp.resolve("acl"),
                "user alice", "topic readwrite rl/#",
                "user bob", "topic readwrite rl/#");
        String t = "rl/" + Ids.client("t");
        try (BrokerProcess b = start(pw, acl);
             RawClient alice = login(b, "alice")) {
            alice.subscribe(t + "/#", 1);
            assertEquals(PasswordFileTest.BAD_CREDENTIALS, PasswordFileTest.connack(b.port(), "bob", "bob-pw"),
                    "bob is not in the file yet");

            TestFiles.mosquittoPasswd(pw, false, "bob", "bob-pw");
            b.signal("HUP");
            Await.until(RELOAD, () -> PasswordFileTest.connack(b.port(), "bob", "bob-pw") == 0,
                    "bob, added to the password file, can log in after SIGHUP");

            try (RawClient bob = login(b, "bob")) {
                bob.publish(t + "/x", 1, "from-bob");
            }
            Packet p = alice.nextPublish();
            assertEquals("from-bob", p.payloadString(), "alice's connection from before the reload still works");
            alice.ping();
            assertEquals(0, PasswordFileTest.connack(b.port(), "alice", "alice-pw"), "alice can still log in");
        }
    }

    @Test
    void sighupRereadsTheAclFileForConnectedClients() {
        TestFiles.shareDir(tmp);
        Path pw = TestFiles.mosquittoPasswd(tmp.resolve("pw"), true, "alice", "alice-pw");
        TestFiles.mosquittoPasswd(pw, false, "bob", "bob-pw");
        Path acl = TestFiles.write(tmp.resolve("acl"),
                "user alice", "topic readwrite rl/+/a/#",
                "user bob", "topic readwrite rl/#");
        String t = "rl/" + Ids.client("t");
        try (BrokerProcess b = start(pw, acl);
             RawClient alice = login(b, "alice");
             RawClient bob = login(b, "bob")) {
            alice.subscribe(t + "/#", 1); // granted: it covers rl/T/a/
            bob.publish(t + "/b/before", 1, "m");
            bob.publish(t + "/a/marker", 1, "m");
            assertEquals(t + "/a/marker", alice.nextPublish().topic(), "rl/T/b/ is not readable by alice yet");
            alice.assertNoPublish(QUIET);

            TestFiles.write(acl,
                    "user alice", "topic readwrite rl/+/a/#", "topic read rl/+/b/#",
                    "user bob", "topic readwrite rl/#");
            b.signal("HUP");
            awaitDelivery(bob, alice, t + "/b/after", "alice, subscribed before the reload, reads rl/T/b/ after it");
            alice.ping();
        }
    }

    @Test
    void brokenFilesOnReloadKeepTheOldRulesAndAreLogged() throws IOException {
        TestFiles.shareDir(tmp);
        Path pw = TestFiles.mosquittoPasswd(tmp.resolve("pw"), true, "alice", "alice-pw");
        Path acl = TestFiles.write(tmp.resolve("acl"), "user alice", "topic readwrite rl/+/a/#");
        String t = "rl/" + Ids.client("t");
        try (BrokerProcess b = start(pw, acl)) {
            RawClient alice = login(b, "alice");
            try {
                alice.subscribe(t + "/#", 1);

                // 1. an ACL file with a line that is not a rule
                int mark = b.logText().length();
                TestFiles.write(acl, "user alice", "topic readwrite rl/+/a/#", "topic readwrite rl/+/z/#", "garbage line here");
                b.signal("HUP");
                assertErrorLine(b.awaitLogLineAfter(mark, RELOAD, acl.toString()));
                alice.publish(t + "/z/1", 1, "m");   // writable only under the broken file's rules
                alice.publish(t + "/a/1", 1, "m");   // writable under the old rules
                List<String> got = new ArrayList<>();
                for (int i = 0; i < Reference.expect(1, 2); i++) {
                    got.add(alice.nextPublish().topic());
                }
                alice.assertNoPublish(QUIET);
                assertEquals(Reference.expect(List.of(t + "/a/1"), List.of(t + "/z/1", t + "/a/1") /* no ACL left */), got,
                        "the old ACL rules stay in force");

                // 2. the password file is gone
                mark = b.logText().length();
                Files.delete(pw);
                b.signal("HUP");
                assertErrorLine(b.awaitLogLineAfter(mark, RELOAD, pw.toString()));
                assertEquals(Reference.expect(0, 5 /* no account left */),
                        PasswordFileTest.connack(b.port(), "alice", "alice-pw"), "the old accounts stay");
                assertEquals(Reference.expect(PasswordFileTest.BAD_CREDENTIALS, 5),
                        PasswordFileTest.connack(b.port(), "alice", "wrong"), "and so do their passwords");
                if (BrokerProcess.isMosquitto()) {
                    // mosquitto disconnects clients whose account is no longer there
                    assertTrue(alice.closedWithin(RELOAD), "mosquitto 2.0.11 drops alice");
                } else {
                    alice.ping(); // still connected
                }

                // 3. good files again: the next SIGHUP takes them
                TestFiles.mosquittoPasswd(pw, true, "alice", "alice-pw");
                TestFiles.write(acl, "user alice", "topic readwrite rl/+/a/#", "topic readwrite rl/+/y/#");
                b.signal("HUP");
                if (BrokerProcess.isMosquitto()) {
                    Await.until(RELOAD, () -> PasswordFileTest.connack(b.port(), "alice", "alice-pw") == 0,
                            "alice can log in again");
                    alice.close();
                    alice = login(b, "alice");
                    alice.subscribe(t + "/#", 1);
                }
                awaitDelivery(alice, alice, t + "/y", "the repaired ACL file is read on the next SIGHUP");
                assertEquals(PasswordFileTest.BAD_CREDENTIALS, PasswordFileTest.connack(b.port(), "alice", "wrong"));
                assertEquals(0, PasswordFileTest.connack(b.port(), "alice", "alice-pw"));
            } finally {
                alice.close();
            }
        }
    }

    /** The reload error names the file (checked by the caller) and says it is an error. */
    static void assertErrorLine(String line) {
        assertTrue(line.toLowerCase(Locale.ROOT).contains("error"), "an error line: " + line);
    }

    /** Publishes to {@code topic} (a new suffix each try) until {@code to} receives one, within {@link #RELOAD}. */
    static void awaitDelivery(RawClient from, RawClient to, String topic, String what) {
        long deadline = System.nanoTime() + RELOAD.toNanos();
        int n = 0;
        while (System.nanoTime() < deadline) {
            from.publish(topic + "/" + n++, 1, "m");
            Packet p = to.poll(Duration.ofMillis(100));
            if (p != null && p.type() == Mqtt.PUBLISH && p.topic().startsWith(topic + "/")) {
                while (to.poll(Duration.ofMillis(150)) != null) {
                    // drop the messages of later tries still on their way
                }
                return;
            }
        }
        throw new AssertionError(what + ": nothing delivered within " + RELOAD);
    }
}
