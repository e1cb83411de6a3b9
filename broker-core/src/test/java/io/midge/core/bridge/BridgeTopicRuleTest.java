package io.midge.core.bridge;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Topic remapping as mosquitto's bridges do it (lib/send_publish.c on the way out, handle_publish.c on the way in). */
class BridgeTopicRuleTest {

    private static BridgeTopicRule rule(String pattern, BridgeTopicRule.Direction direction, String local, String remote) {
        return new BridgeTopicRule(pattern, direction, 1, local, remote);
    }

    @Test
    void prefixesAreSwappedBothWays() {
        BridgeTopicRule rule = rule("sensors/#", BridgeTopicRule.Direction.BOTH, "home/", "cloud/");
        assertEquals("home/sensors/#", rule.localFilter());
        assertEquals("cloud/sensors/#", rule.remoteFilter());
        assertEquals("cloud/sensors/kitchen/t", rule.toRemote("home/sensors/kitchen/t"));
        assertEquals("home/sensors/kitchen/t", rule.toLocal("cloud/sensors/kitchen/t"));
    }

    @Test
    void withoutPrefixesTopicsKeepTheirNames() {
        BridgeTopicRule rule = rule("a/+", BridgeTopicRule.Direction.OUT, "", "");
        assertEquals("a/b", rule.toRemote("a/b"));
        assertNull(rule.toRemote("a/b/c"));
    }

    @Test
    void directionDecidesWhichWayARuleApplies() {
        BridgeTopicRule in = rule("x/#", BridgeTopicRule.Direction.IN, "l/", "r/");
        assertNull(in.toRemote("l/x/1"));
        assertEquals("l/x/1", in.toLocal("r/x/1"));
        BridgeTopicRule out = rule("x/#", BridgeTopicRule.Direction.OUT, "l/", "r/");
        assertNull(out.toLocal("r/x/1"));
        assertEquals("r/x/1", out.toRemote("l/x/1"));
    }

    @Test
    void anEmptyPatternNamesExactlyThePrefixedTopic() {
        BridgeTopicRule rule = rule("", BridgeTopicRule.Direction.BOTH, "local/status", "remote/status");
        assertEquals("remote/status", rule.toRemote("local/status"));
        assertEquals("local/status", rule.toLocal("remote/status"));
        assertNull(rule.toRemote("local/status/x"));
    }

    @Test
    void onlyALocalPrefixIsStrippedOnTheWayOut() {
        BridgeTopicRule rule = rule("#", BridgeTopicRule.Direction.BOTH, "site1/", "");
        assertEquals("temp", rule.toRemote("site1/temp"));
        assertEquals("site1/temp", rule.toLocal("temp"));
    }

    @Test
    void theFirstMatchingRuleDecides() {
        BridgeSettings settings = BridgeLinkTest.settings(List.of(
                rule("a/#", BridgeTopicRule.Direction.OUT, "", "first/"),
                rule("a/b", BridgeTopicRule.Direction.OUT, "", "second/")));
        assertEquals("first/a/b", settings.toRemote("a/b"));
        assertEquals("unmatched", settings.toRemote("unmatched"));
    }
}
