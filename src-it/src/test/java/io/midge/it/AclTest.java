package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authorization by a mosquitto {@code acl_file}: every rule kind (read, write, readwrite, no access
 * word, deny, no rule) for reading and for writing, the anonymous section, {@code pattern} rules
 * with {@code %c} and {@code %u}, retained messages filtered by read rules, refused wills, and
 * {@code $SYS}. Read rules are checked when a message is delivered, write rules when a client
 * publishes; a refused PUBLISH is still acknowledged and then dropped. One broker for the class:
 * <pre>
 * listener P 127.0.0.1
 * allow_anonymous true
 * password_file PW        # admin, ruser, puser (password: NAME-pw), by mosquitto_passwd
 * acl_file ACL
 * sys_interval 1
 * </pre>
 * with the ACL file
 * <pre>
 * # anonymous clients
 * topic read anon/+/r/#
 * topic write anon/+/w/#
 * topic readwrite anon/+/rw/#
 *
 * user admin
 * topic readwrite #
 * topic read $SYS/#
 *
 * user ruser
 * topic read acl/+/r/#
 * topic write acl/+/w/#
 * topic readwrite acl/+/rw/#
 * topic acl/+/d/#
 * topic readwrite acl/+/all/#
 * topic deny acl/+/all/secret/#
 *
 * user puser
 * topic read nothing/here
 *
 * pattern readwrite pc/+/%c/#
 * pattern read pu/+/%u/r/#
 * pattern write pu/+/%u/w/#
 * </pre>
 * Each test uses its own token T as the second topic level.
 *
 * <p>SUBSCRIBE: as in mosquitto 2.0.11, the ACL file never refuses a subscription: SUBACK grants
 * the requested QoS even for a filter that can match no readable topic, and read rules filter what
 * is delivered. An empty ACL file therefore grants every SUBSCRIBE and delivers nothing.
 */
class AclTest {

    static final Duration QUIET = Duration.ofMillis(300);

    @TempDir
    static Path tmp;

    static BrokerProcess broker;

    @BeforeAll
    static void start() {
        TestFiles.shareDir(tmp);
        Path pw = tmp.resolve("pw");
        TestFiles.mosquittoPasswd(pw, true, "admin", "admin-pw");
        TestFiles.mosquittoPasswd(pw, false, "ruser", "ruser-pw");
        TestFiles.mosquittoPasswd(pw, false, "puser", "puser-pw");
        Path acl = TestFiles.write(tmp.resolve("acl"),
                "# anonymous clients",
                "topic read anon/+/r/#",
                "topic write anon/+/w/#",
                "topic readwrite anon/+/rw/#",
                "",
                "user admin",
                "topic readwrite #",
                "topic read $SYS/#",
                "",
                "user ruser",
                "topic read acl/+/r/#",
                "topic write acl/+/w/#",
                "topic readwrite acl/+/rw/#",
                "topic acl/+/d/#",
                "topic readwrite acl/+/all/#",
                "topic deny acl/+/all/secret/#",
                "",
                "user puser",
                "topic read nothing/here",
                "",
                "pattern readwrite pc/+/%c/#",
                "pattern read pu/+/%u/r/#",
                "pattern write pu/+/%u/w/#");
        int port = BrokerProcess.freePorts(1)[0];
        broker = BrokerProcess.startConfig(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "password_file " + pw,
                "acl_file " + acl,
                "sys_interval 1"), port);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    static RawClient user(String name) {
        return user(name, Ids.client(name));
    }

    static RawClient user(String name, String clientId) {
        return RawClient.connect(broker.port(), Mqtt.connect(clientId).username(name).password(name + "-pw"), true);
    }

    static RawClient anonymous(String clientId) {
        return RawClient.connect(broker.port(), Mqtt.connect(clientId), true);
    }

    static String token() {
        return Ids.client("t"); // a unique single topic level
    }

    /**
     * Publishes QoS 1 from {@code from} to each topic (asserting each is acknowledged, allowed or
     * not), then returns the topics {@code to} receives: it waits for {@code expected} messages and
     * then checks that nothing more comes.
     */
    static List<String> topicsReceived(RawClient to, int expected) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            got.add(to.nextPublish().topic());
        }
        to.assertNoPublish(QUIET);
        return got;
    }

    static void publishAll(RawClient from, List<String> topics) {
        for (String topic : topics) {
            from.publish(topic, 1, "m"); // PUBACK even when the ACL drops it
        }
    }

    // ------------------------------------------------------------------ the user section

    @Test
    void readRulesDecideWhatIsDelivered() {
        String t = token();
        String b = "acl/" + t + "/";
        try (RawClient admin = user("admin");
             RawClient ruser = user("ruser")) {
            assertArrayEquals(new int[] {1}, ruser.subscribe(new Object[] {b + "#", 1}),
                    "a filter that covers readable topics is granted");
            publishAll(admin, List.of(b + "w/m", b + "none/m", b + "all/secret/m",
                    b + "r/m", b + "rw/m", b + "d/m", b + "all/m"));
            assertEquals(List.of(b + "r/m", b + "rw/m", b + "d/m", b + "all/m"), topicsReceived(ruser, 4),
                    "read, readwrite, no access word and the allowed part of all/ are readable; write, no rule and deny are not");
        }
    }

    @Test
    void writeRulesDecideWhatIsPublishedAndRefusedPublishesAreAcknowledgedAndDropped() {
        String t = token();
        String b = "acl/" + t + "/";
        try (RawClient admin = user("admin");
             RawClient ruser = user("ruser")) {
            admin.subscribe(b + "#", 1);
            publishAll(ruser, List.of(b + "r/m", b + "none/m", b + "all/secret/m",
                    b + "w/m", b + "rw/m", b + "d/m", b + "all/m"));
            assertEquals(List.of(b + "w/m", b + "rw/m", b + "d/m", b + "all/m"), topicsReceived(admin, 4),
                    "write, readwrite, no access word and the allowed part of all/ are writable; read, no rule and deny are not");
            // QoS 0 and QoS 2 refused publishes: the flows complete, nothing is delivered
            ruser.publish(b + "r/q0", 0, "m");
            ruser.publish(b + "r/q2", 2, "m");
            ruser.ping();
            admin.assertNoPublish(QUIET);
        }
    }

    @Test
    void subscribeIsGrantedEvenForAFilterThatCanMatchNothingReadable() {
        String t = token();
        String b = "acl/" + t + "/";
        try (RawClient ruser = user("ruser");
             RawClient admin = user("admin")) {
            int[] codes = ruser.subscribe(
                    b + "w/#", 1,          // only writable
                    "forbidden/#", 1,      // no rule at all
                    "acl/+/w/+", 1,        // wildcards, still only writable topics
                    b + "r/#", 1,          // readable
                    b + "#", 1,            // covers readable topics
                    "#", 1);               // covers readable topics
            assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, codes, "SUBACK grants every filter");
            // whatever was granted: nothing unreadable is delivered
            admin.publish(b + "w/m", 1, "m");
            admin.publish("forbidden/" + t, 1, "m");
            admin.publish(b + "r/m", 1, "m");
            Packet p = ruser.nextPublish();
            assertEquals(b + "r/m", p.topic());
            ruser.assertNoPublish(q -> !q.topic().equals(b + "r/m"), QUIET, "PUBLISH of an unreadable topic");
        }
    }

    @Test
    void retainedMessagesAreFilteredByReadRules() {
        String t = token();
        String b = "acl/" + t + "/";
        try (RawClient admin = user("admin")) {
            for (String topic : List.of(b + "w/ret", b + "none/ret", b + "all/secret/ret", b + "r/ret", b + "rw/ret")) {
                admin.publish(topic, 1, true, "kept");
            }
            try (RawClient ruser = user("ruser")) {
                ruser.subscribe(b + "#", 1);
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Packet p = ruser.nextPublish();
                    assertTrue(p.retain(), "retained: " + p);
                    got.add(p.topic());
                }
                ruser.assertNoPublish(QUIET);
                got.sort(null);
                assertEquals(List.of(b + "r/ret", b + "rw/ret"), got);
            }
            for (String topic : List.of(b + "w/ret", b + "none/ret", b + "all/secret/ret", b + "r/ret", b + "rw/ret")) {
                admin.publish(topic, 1, true, ""); // clear
            }
        }
    }

    @Test
    void aWillTheClientMayNotWriteIsNotPublished() {
        String t = token();
        String b = "acl/" + t + "/";
        try (RawClient admin = user("admin")) {
            admin.subscribe(b + "#", 1);
            RawClient refused = RawClient.connect(broker.port(), Mqtt.connect(Ids.client("ruser")).username("ruser")
                    .password("ruser-pw").will(b + "r/will", "refused-will", 1, false));
            refused.close(); // no DISCONNECT: the will would be due
            RawClient allowed = RawClient.connect(broker.port(), Mqtt.connect(Ids.client("ruser")).username("ruser")
                    .password("ruser-pw").will(b + "w/will", "allowed-will", 1, false));
            allowed.close();
            Packet p = admin.nextPublish();
            assertEquals(b + "w/will", p.topic());
            assertEquals("allowed-will", p.payloadString());
            admin.assertNoPublish(QUIET);
        }
    }

    // ------------------------------------------------------------------ the anonymous section

    @Test
    void anonymousClientsGetTheRulesAboveTheFirstUserLine() {
        String t = token();
        String b = "anon/" + t + "/";
        try (RawClient admin = user("admin");
             RawClient anon = anonymous(Ids.client("anon"))) {
            anon.subscribe(b + "#", 1);
            admin.subscribe(b + "#", 1);
            publishAll(admin, List.of(b + "w/m", b + "none/m", b + "r/m", b + "rw/m"));
            assertEquals(List.of(b + "w/m", b + "none/m", b + "r/m", b + "rw/m"), topicsReceived(admin, 4));
            assertEquals(List.of(b + "r/m", b + "rw/m"), topicsReceived(anon, 2), "anonymous reads");
            publishAll(anon, List.of(b + "r/x", b + "none/x", b + "w/x", b + "rw/x"));
            assertEquals(List.of(b + "w/x", b + "rw/x"), topicsReceived(admin, 2), "anonymous writes");
            // the anonymous client is subscribed to rw/: its own allowed publish comes back
            assertEquals(List.of(b + "rw/x"), topicsReceived(anon, 1));
        }
    }

    @Test
    void aUserSectionDoesNotApplyToAnonymousClientsNorToOtherUsers() {
        String t = token();
        String b = "acl/" + t + "/";
        try (RawClient admin = user("admin");
             RawClient anon = anonymous(Ids.client("anon"));
             RawClient puser = user("puser")) {
            admin.subscribe(b + "#", 1);
            publishAll(anon, List.of(b + "w/m", b + "rw/m"));
            publishAll(puser, List.of(b + "w/m", b + "rw/m"));
            anon.ping();
            puser.ping();
            admin.assertNoPublish(QUIET);
        }
    }

    // ------------------------------------------------------------------ patterns

    @Test
    void patternWithClientIdAppliesToEveryClientWithItsOwnId() {
        String t = token();
        String pid = Ids.client("pc");
        String aid = Ids.client("pca");
        try (RawClient admin = user("admin");
             RawClient puser = user("puser", pid);
             RawClient anon = anonymous(aid)) {
            admin.subscribe("pc/" + t + "/#", 1);
            puser.subscribe("pc/" + t + "/#", 1);
            anon.subscribe("pc/" + t + "/#", 1);
            // reading: each gets only its own client id's subtree
            publishAll(admin, List.of("pc/" + t + "/" + aid + "/m", "pc/" + t + "/other/m", "pc/" + t + "/" + pid + "/m"));
            assertEquals(3, topicsReceived(admin, 3).size());
            assertEquals(List.of("pc/" + t + "/" + pid + "/m"), topicsReceived(puser, 1));
            assertEquals(List.of("pc/" + t + "/" + aid + "/m"), topicsReceived(anon, 1));
            // writing: only under the own client id
            publishAll(puser, List.of("pc/" + t + "/other/w", "pc/" + t + "/" + aid + "/w", "pc/" + t + "/" + pid + "/w"));
            assertEquals(List.of("pc/" + t + "/" + pid + "/w"), topicsReceived(admin, 1));
            assertEquals(List.of("pc/" + t + "/" + pid + "/w"), topicsReceived(puser, 1));
            anon.assertNoPublish(Duration.ZERO);
        }
    }

    @Test
    void patternWithUserNameAppliesToTheUserAndNeverToAnonymousClients() {
        String t = token();
        String b = "pu/" + t + "/";
        try (RawClient admin = user("admin");
             RawClient puser = user("puser");
             RawClient anon = anonymous(Ids.client("pua"))) {
            admin.subscribe(b + "#", 1);
            puser.subscribe(b + "#", 1);
            // %u patterns never apply to an anonymous client: it can read nothing under pu/, but is granted the filter
            assertArrayEquals(new int[] {1}, anon.subscribe(new Object[] {b + "#", 1}),
                    "SUBACK for an anonymous client's pu/T/#");
            publishAll(admin, List.of(b + "ruser/r/m", b + "puser/w/m", b + "puser/r/m"));
            assertEquals(3, topicsReceived(admin, 3).size());
            assertEquals(List.of(b + "puser/r/m"), topicsReceived(puser, 1), "pattern read pu/+/%u/r/#");
            anon.assertNoPublish(Duration.ZERO);
            publishAll(puser, List.of(b + "puser/r/x", b + "ruser/w/x", b + "puser/w/x"));
            assertEquals(List.of(b + "puser/w/x"), topicsReceived(admin, 1), "pattern write pu/+/%u/w/#");
            publishAll(anon, List.of(b + "puser/w/x"));
            anon.ping();
            admin.assertNoPublish(QUIET);
        }
    }

    // ------------------------------------------------------------------ an empty ACL file

    @Test
    void emptyAclFileGrantsEverySubscribeAndDeliversNothing() {
        Path acl = TestFiles.write(tmp.resolve("empty.acl"));
        int port = BrokerProcess.freePorts(1)[0];
        try (BrokerProcess b = BrokerProcess.startConfig(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "acl_file " + acl), port);
             RawClient sub = RawClient.connect(port, Mqtt.connect(Ids.client("esub")), true);
             RawClient pub = RawClient.connect(port, Mqtt.connect(Ids.client("epub")), true)) {
            String t = Ids.topic("empty");
            assertArrayEquals(new int[] {2, 1, 0}, sub.subscribe(t, 2, "#", 1, "$SYS/#", 0), "SUBACK grants the requested QoS");
            pub.publish(t, 1, "m"); // acknowledged, and dropped: no rule allows writing
            pub.publish(t, 2, "m");
            pub.ping();
            sub.assertNoPublish(QUIET);
        }
    }

    // ------------------------------------------------------------------ $SYS

    @Test
    void sysTopicsAreNotReadableWithoutARuleNamingThem() {
        try (RawClient ruser = user("ruser");
             RawClient anon = anonymous(Ids.client("sysanon"))) {
            assertArrayEquals(new int[] {0}, ruser.subscribe(new Object[] {"$SYS/#", 0}), "SUBACK for $SYS/#");
            assertArrayEquals(new int[] {0}, anon.subscribe(new Object[] {"$SYS/#", 0}), "SUBACK for $SYS/#");
            // longer than sys_interval: an update would have come by now
            ruser.assertNoPublish(Duration.ofMillis(1500));
            anon.assertNoPublish(Duration.ZERO);
        }
    }

    @Test
    void sysTopicsAreReadableWhereTheAclAllows() {
        try (RawClient admin = user("admin")) {
            admin.subscribe("$SYS/#", 0);
            Packet p = admin.nextPublish(Duration.ofSeconds(5));
            assertTrue(p.topic().startsWith("$SYS/"), "a $SYS message: " + p);
        }
    }
}
