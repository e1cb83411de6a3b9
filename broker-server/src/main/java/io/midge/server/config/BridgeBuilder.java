package io.midge.server.config;

import io.midge.core.bridge.BridgeTopicRule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A bridge being collected from its {@code connection} block; defaults are mosquitto's. */
final class BridgeBuilder {

    final String name;
    final SourceLocation definedAt;
    final List<BridgeAddress> addresses = new ArrayList<>();
    boolean roundRobin;
    final List<BridgeTopicRule> topics = new ArrayList<>();
    String remoteClientId;
    String remoteUsername;
    String remotePassword;
    String localClientId;
    String localUsername;
    String localPassword;
    boolean cleanSession;
    Boolean localCleanSession;
    int keepaliveInterval = 60;
    BridgeConfig.StartType startType = BridgeConfig.StartType.AUTOMATIC;
    int restartTimeoutBase = 5;
    int restartTimeoutCap = 30;
    int idleTimeout = 60;
    int threshold = 10;
    boolean tryPrivate = true;
    boolean notifications = true;
    boolean notificationsLocalOnly;
    String notificationTopic;
    BridgeConfig.ProtocolVersion protocolVersion = BridgeConfig.ProtocolVersion.MQTTV311;
    boolean outgoingRetain = true;
    boolean attemptUnsubscribe = true;
    String bindAddress;
    int maxPacketSize;
    Path cafile;
    Path capath;
    Path certfile;
    Path keyfile;
    boolean insecure;
    String tlsVersion;
    String alpn;
    boolean requireOcsp;
    String pskIdentity;
    String psk;

    BridgeBuilder(String name, SourceLocation definedAt) {
        this.name = name;
        this.definedAt = definedAt;
    }

    BridgeConfig build() throws ConfigException {
        validate();
        BridgeTls tls = new BridgeTls(Optional.ofNullable(cafile), Optional.ofNullable(capath),
                Optional.ofNullable(certfile), Optional.ofNullable(keyfile), insecure, tlsVersion, alpn,
                requireOcsp, pskIdentity, psk);
        return new BridgeConfig(name, addresses, roundRobin, topics,
                new BridgeCredentials(remoteClientId, remoteUsername, remotePassword),
                new BridgeCredentials(localClientId, localUsername, localPassword),
                cleanSession, Optional.ofNullable(localCleanSession), keepaliveInterval, startType,
                restartTimeoutBase, restartTimeoutCap, idleTimeout, threshold, tryPrivate, notifications,
                notificationsLocalOnly, notificationTopic, protocolVersion, outgoingRetain, attemptUnsubscribe,
                bindAddress, maxPacketSize, tls);
    }

    private void validate() throws ConfigException {
        if (addresses.isEmpty()) {
            throw problem("has no address.");
        }
        if ((certfile == null) != (keyfile == null)) {
            throw problem("needs both bridge_certfile and bridge_keyfile.");
        }
        if ((psk == null) != (pskIdentity == null)) {
            throw problem("needs both bridge_identity and bridge_psk.");
        }
        if (psk != null && (cafile != null || capath != null)) {
            throw problem("cannot use both certificate and PSK encryption.");
        }
        if (topics.isEmpty()) {
            // mosquitto's words; a bridge that forwards nothing is a mistake, not a choice.
            throw ConfigException.at(definedAt, "Invalid bridge configuration: no topics defined for connection \""
                    + name + "\".");
        }
        if (protocolVersion == BridgeConfig.ProtocolVersion.MQTTV50) {
            throw problem("uses bridge_protocol_version mqttv50; Midge does not speak MQTT 5 yet: use mqttv311.");
        }
    }

    private ConfigException problem(String what) {
        return ConfigException.at(definedAt, "Bridge connection \"" + name + "\" " + what);
    }
}
