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

    BrokerProcess start(Path pw, Path acl, String... extraLines) {
        int port = BrokerProcess.freePorts(1)[0];
        List<String> conf = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + pw,
                "acl_file " + acl));
        conf.addAll(List.of(extraLines));
        return BrokerProcess.startConfig(conf, port);
    }

    /** A password file with {@code NAME-pw} for each user. */
    Path passwords(String... users) {
        TestFiles.shareDir(tmp);
        Path pw = tmp.resolve("pw");
        for (int i = 0; i < users.length; i++) {
            TestFiles.mosquittoPasswd(pw, i == 0, users[i], users[i] + "-pw");
        }
        return pw;
    }

    /**
     * Rewrites the ACL file, sends SIGHUP and waits until the new rules are in force: the user
     * {@code probe} may read {@code rl/probe/N/#} only under the new file, so a delivery there
     * proves the reload. {@code lines} must not mention {@code probe}.
     */
    static void reloadAcl(BrokerProcess b, Path acl, int generation, String... lines) {
        List<String> all = new ArrayList<>(List.of(lines));
        all.addAll(List.of("user probe", "topic readwrite rl/probe/" + generation + "/#"));
        TestFiles.write(acl, all.toArray(new String[0]));
        b.signal("HUP");
        try (RawClient probe = login(b, "probe")) {
            probe.subscribe("rl/probe/" + generation + "/#", 1);
            awaitDelivery(probe, probe, "rl/probe/" + generation + "/x", "the ACL file of generation " + generation);
        }
    }

    @Test
    void messagesQueuedForAnOfflineSessionAreDroppedWhenTheReloadedAclRevokesRead() {
        Path pw = passwords("alice", "bob", "probe");
        Path acl = tmp.resolve("acl");
        String t = "rl/" + Ids.client("t");
        String aliceId = Ids.client("alice");
        reloadAcl0(acl, "user alice", "topic readwrite rl/#", "user bob", "topic readwrite rl/#");
        try (BrokerProcess b = start(pw, acl)) {
            try (RawClient alice = RawClient.connect(b.port(), Mqtt.connect(aliceId).username("alice").password("alice-pw").cleanSession(false))) {
                alice.subscribe(t + "/#", 1);
                alice.disconnect();
            }
            try (RawClient bob = login(b, "bob")) {
                bob.publish(t + "/queued", 1, "queued-while-allowed");
            }
            reloadAcl(b, acl, 1, "user alice", "topic write rl/#", "user bob", "topic readwrite rl/#");
            try (RawClient bob = login(b, "bob")) {
                bob.publish(t + "/after", 1, "published-after-revoke");
            }
            try (RawClient alice = RawClient.open(b.port()).autoAck(true)) {
                Packet connack = alice.sendConnect(Mqtt.connect(aliceId).username("alice").password("alice-pw").cleanSession(false));
                assertEquals(0x01, connack.body()[0], "the session is still there: " + connack);
                alice.assertNoPublish(QUIET); // neither the queued message nor the later one
                alice.disconnect();
            }
        }
    }

    /** Writes the first ACL file (generation 0) of a test that reloads with {@link #reloadAcl}. */
    static void reloadAcl0(Path acl, String... lines) {
        List<String> all = new ArrayList<>(List.of(lines));
        all.addAll(List.of("user probe", "topic readwrite rl/probe/0/#"));
        TestFiles.write(acl, all.toArray(new String[0]));
    }

    /**
     * {@code check_retain_source true}: a retained message is delivered to a new subscriber only
     * while its publisher (by user name) may still write its topic; the message is kept, so it is
     * delivered again once the write access is back.
     */
    @Test
    void checkRetainSourceWithholdsRetainedMessagesWhosePublisherLostWriteAccess() {
        Path pw = passwords("alice", "bob", "probe");
        Path acl = tmp.resolve("acl");
        String t = "rl/" + Ids.client("t");
        reloadAcl0(acl, "user alice", "topic readwrite rl/#", "user bob", "topic readwrite rl/#");
        try (BrokerProcess b = start(pw, acl, "check_retain_source true")) {
            try (RawClient alice = login(b, "alice")) {
                alice.publish(t + "/r", 1, true, "kept");
            }
            assertEquals(List.of("kept"), retainedPayloads(b, t));

            reloadAcl(b, acl, 1, "user alice", "topic read rl/#", "user bob", "topic readwrite rl/#");
            assertEquals(List.of(), retainedPayloads(b, t), "alice may no longer write " + t + "/r");

            reloadAcl(b, acl, 2, "user alice", "topic readwrite rl/#", "user bob", "topic readwrite rl/#");
            assertEquals(List.of("kept"), retainedPayloads(b, t), "the retained message was kept");

            try (RawClient bob = login(b, "bob")) { // revoked while the publisher is connected
                bob.publish(t + "/b", 1, true, "bob-kept");
                reloadAcl(b, acl, 3, "user alice", "topic readwrite rl/#", "user bob", "topic read rl/#");
                assertEquals(List.of("kept"), retainedPayloads(b, t), "only alice's retained message");
            }
        }
    }

    /** The payloads of the retained messages a new subscriber (bob) to {@code t/#} gets, sorted. */
    static List<String> retainedPayloads(BrokerProcess b, String t) {
        List<String> got = new ArrayList<>();
        try (RawClient bob = login(b, "bob")) {
            bob.subscribe(t + "/#", 1);
            while (true) {
                Packet p = bob.poll(QUIET);
                if (p == null || p.isClosed()) {
                    break;
                }
                if (p.type() == Mqtt.PUBLISH) {
                    assertTrue(p.retain(), "retained: " + p);
                    got.add(p.payloadString());
                }
            }
        }
        got.sort(null);
        return got;
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
            assertEquals(PasswordFileTest.NOT_AUTHORISED, PasswordFileTest.connack(b.port(), "bob", "bob-pw"),
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

    /**
     * As mosquitto: after SIGHUP a client whose user was removed or whose password changed is
     * disconnected ("Client X disconnected."), without its will; others keep their connection.
     */
    @Test
    void sighupDisconnectsClientsTheReloadedPasswordFileNoLongerAccepts() {
        TestFiles.shareDir(tmp);
        Path pw = TestFiles.mosquittoPasswd(tmp.resolve("pw"), true, "alice", "alice-pw");
        TestFiles.mosquittoPasswd(pw, false, "bob", "bob-pw");
        TestFiles.mosquittoPasswd(pw, false, "carol", "carol-pw");
        Path acl = TestFiles.write(tmp.resolve("acl"), "pattern readwrite rl/#");
        String willTopic = "rl/" + Ids.client("will");
        String bobId = Ids.client("bob");
        try (BrokerProcess b = start(pw, acl);
             RawClient alice = login(b, "alice");
             RawClient bob = RawClient.connect(b.port(), Mqtt.connect(bobId).username("bob")
                     .password("bob-pw").will(willTopic, "bob-gone", 0, false), true);
             RawClient carol = login(b, "carol")) {
            alice.subscribe(willTopic, 0);

            TestFiles.mosquittoPasswd(pw, true, "alice", "alice-pw"); // bob removed
            TestFiles.mosquittoPasswd(pw, false, "carol", "carol-new-pw"); // carol's password changed
            b.signal("HUP");
            assertTrue(bob.closedWithin(RELOAD), "bob, no longer in the file, is disconnected");
            assertTrue(carol.closedWithin(RELOAD), "carol, whose password changed, is disconnected");
            alice.ping();
            alice.assertNoPublishOn(willTopic, QUIET);
            b.awaitLog("Client " + bobId + " disconnected.", RELOAD);
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
                assertEquals(PasswordFileTest.NOT_AUTHORISED,
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
                assertEquals(PasswordFileTest.NOT_AUTHORISED, PasswordFileTest.connack(b.port(), "alice", "wrong"));
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
