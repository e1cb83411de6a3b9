package io.midge.server.bridge;

import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.auth.Authenticator;
import io.midge.core.bridge.BridgeSettings;
import io.midge.core.packet.MqttPacket.Connect;
import io.midge.core.protocol.ProtocolContext;
import io.midge.server.cli.ExitCodes;
import io.midge.server.config.BridgeConfig;
import io.midge.server.net.BrokerServices;
import io.midge.server.net.StartupException;
import io.midge.server.tls.BridgeTlsContext;
import io.midge.server.tls.TlsSetupException;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The broker's bridges ({@code connection} blocks): prepared with the listeners, started once the broker serves. */
public final class Bridges implements AutoCloseable {

    private final List<Prepared> prepared;
    private final List<BridgeConnector> running = new ArrayList<>();
    private ExecutorService resolver;

    private record Prepared(BridgeConfig config, BridgeSettings settings, BridgeTlsContext tls) {}

    private Bridges(List<Prepared> prepared) {
        this.prepared = prepared;
    }

    /**
     * Applies mosquitto's defaults and loads TLS files, so that a bridge that cannot run stops the
     * start as a listener would.
     */
    public static Bridges prepare(List<BridgeConfig> configs) throws StartupException {
        List<Prepared> prepared = new ArrayList<>();
        Map<String, String> localIds = new HashMap<>();
        String hostname = null;
        for (BridgeConfig config : configs) {
            if (config.remote().clientId() == null && hostname == null) {
                hostname = hostname();
            }
            BridgeSettings settings = settings(config, hostname);
            if (localIds.putIfAbsent(settings.localClientId(), config.name()) != null) {
                throw new StartupException("Error: Bridge local_clientid '" + settings.localClientId()
                        + "' is not unique. Try changing or setting the local_clientid value for one of the bridges.",
                        ExitCodes.INVALID);
            }
            prepared.add(new Prepared(config, settings, tls(config)));
        }
        return new Bridges(prepared);
    }

    private static BridgeTlsContext tls(BridgeConfig config) throws StartupException {
        if (!config.tls().isEnabled()) {
            return null;
        }
        try {
            return BridgeTlsContext.load(config.tls());
        } catch (TlsSetupException e) {
            throw new StartupException("Error: Bridge " + config.name() + ": " + e.getMessage(), ExitCodes.STARTUP_FAILED);
        }
    }

    /** Starts every bridge, each on an event loop of its own choosing, which also owns its local session. */
    public void start(BrokerServices services, EventLoopGroup loops, Class<? extends Channel> channelClass,
                      boolean retainAvailable) {
        if (prepared.isEmpty()) {
            return;
        }
        resolver = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "bridge-resolver");
            thread.setDaemon(true);
            return thread;
        });
        Authenticator trusted = (clientId, username, password) -> Authenticator.Result.ACCEPTED;
        ProtocolContext local = new ProtocolContext(services.router(), services.sessions(), services.stats(), "", 2,
                retainAvailable, false, trusted, AllowAllAuthorizer.INSTANCE, false, true);
        for (Prepared bridge : prepared) {
            BridgeConnector connector = new BridgeConnector(bridge.config(), bridge.settings(), local, loops.next(),
                    channelClass, bridge.tls(), resolver);
            running.add(connector);
            connector.start();
        }
    }

    /** Each bridge's name and whether it is connected now, in configuration order, for metrics. */
    public Map<String, Boolean> states() {
        Map<String, Boolean> states = new LinkedHashMap<>();
        for (Prepared bridge : prepared) {
            states.put(bridge.config().name(), false);
        }
        for (BridgeConnector connector : running) {
            states.put(connector.name(), connector.isUp());
        }
        return states;
    }

    /** Closes every bridge's connection; the remote brokers publish their wills (state "0"). */
    @Override
    public void close() {
        List<Future<?>> stopped = new ArrayList<>();
        for (BridgeConnector connector : running) {
            stopped.add(connector.stop());
        }
        stopped.forEach(done -> done.awaitUninterruptibly(1, TimeUnit.SECONDS));
        if (resolver != null) {
            resolver.shutdownNow();
        }
    }

    /** mosquitto's defaults: remote_clientid {@code hostname.NAME}, local_clientid {@code local.REMOTE_ID}. */
    static BridgeSettings settings(BridgeConfig config, String hostname) {
        String remoteId = config.remote().clientId() != null ? config.remote().clientId() : hostname + "." + config.name();
        String localId = config.local().clientId() != null ? config.local().clientId() : "local." + remoteId;
        String notificationTopic = !config.notifications() ? null
                : config.notificationTopic() != null ? config.notificationTopic()
                : "$SYS/broker/connection/" + remoteId + "/state";
        byte[] password = config.remote().password() == null ? null
                : config.remote().password().getBytes(StandardCharsets.UTF_8);
        int level = config.protocolVersion() == BridgeConfig.ProtocolVersion.MQTTV31
                ? Connect.LEVEL_MQTT_3_1 : Connect.LEVEL_MQTT_3_1_1;
        return new BridgeSettings(config.name(), remoteId, config.remote().username(), password,
                config.cleanSession(), config.keepaliveInterval(), level, config.tryPrivate(), localId,
                config.local().username(), config.localCleanSession().orElse(config.cleanSession()), config.topics(),
                notificationTopic, config.notificationsLocalOnly(), config.outgoingRetain(), config.attemptUnsubscribe());
    }

    /** gethostname(), as mosquitto names its bridges; the kernel's answer needs no DNS. */
    private static String hostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask Java
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
