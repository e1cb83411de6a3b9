package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecurityOptionsTest extends ConfigFileTest {

    @Test
    void anonymousAllowedWithoutListeners() throws Exception {
        assertTrue(files.parse("max_keepalive 60").allowAnonymous());
    }

    @Test
    void anonymousRefusedOnceAListenerIsDefined() throws Exception {
        assertFalse(files.parse("listener 1883").allowAnonymous());
    }

    @Test
    void anonymousRefusedOncePortIsDefined() throws Exception {
        assertFalse(files.parse("port 1883").allowAnonymous());
    }

    @Test
    void anonymousRefusedOnceBindAddressIsDefined() throws Exception {
        assertFalse(files.parse("bind_address 0.0.0.0").allowAnonymous());
    }

    @Test
    void explicitAllowAnonymousWins() throws Exception {
        assertTrue(files.parse("listener 1883", "allow_anonymous true").allowAnonymous());
        assertFalse(files.parse("allow_anonymous false").allowAnonymous());
    }

    @Test
    void lastAllowAnonymousWins() throws Exception {
        assertTrue(files.parse("allow_anonymous false", "listener 1883", "allow_anonymous true").allowAnonymous());
    }

    @Test
    void securityOptionsAreGlobalWithoutPerListenerSettings() throws Exception {
        BrokerConfig config = files.parse("listener 1883", "allow_anonymous true", "password_file passwd");

        ListenerConfig listener = config.listeners().get(0);
        assertEquals(Optional.empty(), listener.allowAnonymous());
        assertEquals(Optional.of(dir.resolve("passwd")), config.passwordFile());
        assertTrue(config.allowAnonymousFor(listener));
        assertEquals(Optional.of(dir.resolve("passwd")), config.passwordFileFor(listener));
    }

    @Test
    void perListenerSettingsMoveSecurityOptionsToTheListener() throws Exception {
        BrokerConfig config = files.parse(
                "per_listener_settings true",
                "listener 1883",
                "allow_anonymous true",
                "listener 1884",
                "password_file passwd",
                "acl_file acl");

        assertTrue(config.perListenerSettings());
        ListenerConfig open = config.listeners().get(0);
        ListenerConfig secured = config.listeners().get(1);
        assertEquals(Optional.of(true), open.allowAnonymous());
        assertEquals(Optional.empty(), secured.allowAnonymous());
        assertEquals(Optional.of(dir.resolve("passwd")), secured.passwordFile());
        assertEquals(Optional.of(dir.resolve("acl")), secured.aclFile());
        assertEquals(Optional.empty(), config.passwordFile());
        assertTrue(config.allowAnonymousFor(open));
        assertFalse(config.allowAnonymousFor(secured));
        assertEquals(Optional.empty(), config.passwordFileFor(open));
        assertEquals(Optional.of(dir.resolve("acl")), config.aclFileFor(secured));
    }

    /** check_retain_source is broker-wide, but mosquitto counts it as a security setting here. */
    @ParameterizedTest
    @ValueSource(strings = {"allow_anonymous true", "check_retain_source true"})
    void perListenerSettingsMustComeBeforeSecurityOptions(String securityOption) {
        ConfigException e = files.fail(securityOption, "per_listener_settings true");

        assertEquals(files.at(2) + "per_listener_settings must be set before any other security settings.",
                e.getMessage());
    }

    @Test
    void perListenerSettingsFalseMayComeAnywhere() throws Exception {
        BrokerConfig config = files.parse("allow_anonymous true", "per_listener_settings false");

        assertFalse(config.perListenerSettings());
        assertTrue(config.warnings().isEmpty());
    }

    @Test
    void badBooleanIsRejected() {
        ConfigException e = files.fail("allow_anonymous yes");

        assertEquals(files.at(1) + "Invalid value for allow_anonymous: \"yes\" (expected true or false).",
                e.getMessage());
    }
}
