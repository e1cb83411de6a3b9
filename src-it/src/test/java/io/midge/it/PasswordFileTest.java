package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Authentication with {@code allow_anonymous false} and mosquitto password files, including
 * {@code per_listener_settings true}, and password files made by one implementation's tool read by
 * the other's broker.
 *
 * <p>Broker A (global settings; PW made by {@code mosquitto_passwd -c -b} and {@code -b}):
 * <pre>
 * listener P 127.0.0.1
 * allow_anonymous false
 * password_file PW
 * </pre>
 * Broker B ({@code per_listener_settings true}; PW1 holds alice, PW2 holds bob):
 * <pre>
 * per_listener_settings true
 * listener P1 127.0.0.1
 * allow_anonymous false
 * password_file PW1
 * listener P2 127.0.0.1
 * allow_anonymous false
 * password_file PW2
 * listener P3 127.0.0.1
 * allow_anonymous true
 * </pre>
 * CONNACK codes: every refusal of an MQTT 3.1.1 client gets 5 (not authorised), as from mosquitto
 * 2.0.11: a wrong password, an unknown user, a user name without the password, and no credentials
 * where {@code allow_anonymous false} (4 would mean malformed user name or password data). Each
 * refusal is logged as {@code Client <unknown> disconnected, not authorised.}, the line fail2ban
 * filters look for.
 */
class PasswordFileTest {

    static final String SPECIAL = "p@ss w:rd!";

    @TempDir
    static Path tmp;

    static BrokerProcess global;
    static BrokerProcess perListener;
    static int p1;
    static int p2;
    static int p3;

    @BeforeAll
    static void start() {
        TestFiles.shareDir(tmp);
        Path pw = tmp.resolve("global.pw");
        TestFiles.mosquittoPasswd(pw, true, "alice", "secret");
        TestFiles.mosquittoPasswd(pw, false, "bob", SPECIAL);
        int port = BrokerProcess.freePorts(1)[0];
        global = BrokerProcess.startConfig(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + pw), port);

        Path pw1 = TestFiles.mosquittoPasswd(tmp.resolve("listener1.pw"), true, "alice", "alice-pw");
        Path pw2 = TestFiles.mosquittoPasswd(tmp.resolve("listener2.pw"), true, "bob", "bob-pw");
        int[] p = BrokerProcess.freePorts(3);
        p1 = p[0];
        p2 = p[1];
        p3 = p[2];
        perListener = BrokerProcess.startConfig(List.of(
                "per_listener_settings true",
                "listener " + p1 + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + pw1,
                "listener " + p2 + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + pw2,
                "listener " + p3 + " 127.0.0.1",
                "allow_anonymous true"), p);
    }

    @AfterAll
    static void stop() {
        if (global != null) {
            global.close();
        }
        if (perListener != null) {
            perListener.close();
        }
    }

    /** The CONNACK return code for a CONNECT with the given user name and password (either may be null). */
    static int connack(int port, String user, String password) {
        Mqtt.Connect c = Mqtt.connect(Ids.client("pw"));
        if (user != null) {
            c.username(user);
        }
        if (password != null) {
            c.password(password);
        }
        try (RawClient raw = RawClient.open(port)) {
            int code = RawClient.connackCode(raw.sendConnect(c));
            if (code != 0) {
                Packet next = raw.poll(RawClient.TIMEOUT);
                assertEquals(Packet.CLOSED, next, "the broker closes the connection after a refusing CONNACK");
            }
            return code;
        }
    }

    static final int NOT_AUTHORISED = 5;

    // ------------------------------------------------------------------ global password_file

    @Test
    void rightPasswordsAreAccepted() {
        assertEquals(0, connack(global.port(), "alice", "secret"));
        assertEquals(0, connack(global.port(), "bob", SPECIAL), "a password with a space, a colon and punctuation");
    }

    @Test
    void wrongPasswordGetsNotAuthorised() {
        assertEquals(NOT_AUTHORISED, connack(global.port(), "alice", "wrong"));
        assertEquals(NOT_AUTHORISED, connack(global.port(), "alice", "secret "), "no trimming");
        assertEquals(NOT_AUTHORISED, connack(global.port(), "alice", ""), "empty password");
        assertEquals(NOT_AUTHORISED, connack(global.port(), "bob", "secret"), "another user's password");
    }

    @Test
    void unknownUserGetsNotAuthorised() {
        assertEquals(NOT_AUTHORISED, connack(global.port(), "mallory", "secret"));
    }

    @Test
    void userNameWithoutPasswordIsRefused() {
        assertEquals(NOT_AUTHORISED, connack(global.port(), "alice", null));
    }

    @Test
    void noCredentialsGetsNotAuthorised() {
        assertEquals(NOT_AUTHORISED, connack(global.port(), null, null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
            "wrong password, alice, wrong",
            "unknown user, mallory, secret",
            "user name without password, alice, null",
            "anonymous, null, null"})
    void refusalIsLoggedAsNotAuthorised(String what, String user, String password) {
        int mark = global.logLength();
        assertEquals(NOT_AUTHORISED, connack(global.port(), user, password), what);
        global.awaitExactLogLine(mark, "Client <unknown> disconnected, not authorised.", Duration.ofSeconds(5));
        assertTrue(global.logLinesAfter(mark).stream().noneMatch(l -> l.startsWith("New client connected")),
                "a refused client is never logged as connected: " + global.logLinesAfter(mark));
    }

    @Test
    void pahoAndMosquittoPubLogInWithTheFileMadeByMosquittoPasswd() {
        String t = Ids.topic("pw-cli");
        try (RawClient watcher = RawClient.connect(global.port(), Mqtt.connect(Ids.client("pw-w")).username("alice").password("secret"));
             Paho paho = Paho.connect(global.port(), Ids.client("pw-paho"), true, o -> {
                 o.setUserName("bob");
                 o.setPassword(SPECIAL.toCharArray());
             })) {
            watcher.subscribe(t + "/#", 1);
            paho.publish(t + "/paho", "from-paho", 1, false);
            assertEquals("from-paho", watcher.nextPublish().payloadString());
            try (Cli pub = Cli.start("mosquitto_pub", global.port(), "-u", "alice", "-P", "secret",
                    "-t", t + "/cli", "-m", "from-cli", "-q", "1")) {
                assertEquals(0, pub.awaitExit(Duration.ofSeconds(10)), pub.lines().toString());
            }
            assertEquals("from-cli", watcher.nextPublish().payloadString());
            try (Cli pub = Cli.start("mosquitto_pub", global.port(), "-u", "alice", "-P", "nope",
                    "-t", t + "/cli", "-m", "refused", "-q", "1")) {
                assertNotEquals(0, pub.awaitExit(Duration.ofSeconds(10)), pub.lines().toString());
            }
            watcher.assertNoPublish(Duration.ofMillis(200));
        }
    }

    // ------------------------------------------------------------------ per_listener_settings

    @Test
    void perListenerSettingsUseEachListenersOwnPasswordFile() {
        assertEquals(0, connack(p1, "alice", "alice-pw"));
        assertEquals(0, connack(p2, "bob", "bob-pw"));
        assertEquals(NOT_AUTHORISED, connack(p1, "bob", "bob-pw"), "bob is only in the second listener's file");
        assertEquals(NOT_AUTHORISED, connack(p2, "alice", "alice-pw"), "alice is only in the first listener's file");
        assertEquals(NOT_AUTHORISED, connack(p1, null, null));
        assertEquals(NOT_AUTHORISED, connack(p2, null, null));
        assertEquals(0, connack(p3, null, null), "the third listener allows anonymous clients");
    }

    @Test
    void perListenerClientsStillShareTopics() {
        String t = Ids.topic("pl-share");
        try (RawClient anon = RawClient.connect(p3, Ids.client("pl-anon"));
             RawClient alice = RawClient.connect(p1, Mqtt.connect(Ids.client("pl-a")).username("alice").password("alice-pw"))) {
            anon.subscribe(t, 1);
            alice.publish(t, 1, "across-listeners");
            assertEquals("across-listeners", anon.nextPublish().payloadString());
        }
    }

    // ------------------------------------------------------------------ files made by the other tool

    @Test
    void fileMadeByMidgePasswdIsAcceptedByMosquitto() {
        Path pw = tmp.resolve("midge-made.pw");
        TestFiles.midgePasswd(pw, true, "carol", "carol-pw");
        TestFiles.midgePasswd(pw, false, "dave", SPECIAL);
        int port = BrokerProcess.freePorts(1)[0];
        try (BrokerProcess mosquitto = BrokerProcess.startMosquittoConfig(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + pw), port)) {
            for (String[] userPass : new String[][] {{"carol", "carol-pw"}, {"dave", SPECIAL}}) {
                try (Cli pub = Cli.start("mosquitto_pub", port, "-u", userPass[0], "-P", userPass[1],
                        "-t", Ids.topic("midge-made"), "-m", "x", "-q", "1")) {
                    assertEquals(0, pub.awaitExit(Duration.ofSeconds(10)),
                            userPass[0] + " via mosquitto_pub: " + pub.lines() + "\nbroker log:\n" + mosquitto.tail(20));
                }
            }
            try (Cli pub = Cli.start("mosquitto_pub", port, "-u", "carol", "-P", "wrong",
                    "-t", Ids.topic("midge-made"), "-m", "x", "-q", "1")) {
                assertNotEquals(0, pub.awaitExit(Duration.ofSeconds(10)), "wrong password: " + pub.lines());
            }
        }
    }

    @Test
    void fileMadeByMidgePasswdIsAcceptedByTheBrokerUnderTest() {
        Path pw = tmp.resolve("midge-made-2.pw");
        TestFiles.midgePasswd(pw, true, "erin", "erin-pw");
        TestFiles.midgePasswd(pw, false, "frank", SPECIAL);
        int port = BrokerProcess.freePorts(1)[0];
        try (BrokerProcess b = BrokerProcess.startConfig(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + pw), port)) {
            assertEquals(0, connack(port, "erin", "erin-pw"));
            assertEquals(0, connack(port, "frank", SPECIAL));
            assertEquals(NOT_AUTHORISED, connack(port, "erin", "frank-pw"));
        }
    }
}
