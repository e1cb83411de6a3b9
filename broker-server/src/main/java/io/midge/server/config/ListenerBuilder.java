package io.midge.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** A listener being collected from its block of options. */
final class ListenerBuilder {

    /** Where the listener was first configured; {@code null} for an untouched default listener. */
    SourceLocation definedAt;
    int port;
    String bindAddress;
    ListenerProtocol protocol = ListenerProtocol.MQTT;
    SocketDomain socketDomain;
    String mountPoint;
    int maxConnections = -1;
    int maxConnectionRatePerAddress;
    int maxQos = 2;
    /** mosquitto's default. */
    int maxTopicAlias = 10;
    boolean useUsernameAsClientId;
    Path cafile;
    Path capath;
    Path certfile;
    Path keyfile;
    Path crlfile;
    boolean requireCertificate;
    boolean useIdentityAsUsername;
    boolean useSubjectAsUsername;
    String tlsVersion;
    String ciphers;
    final SecurityBuilder security = new SecurityBuilder();
    Path httpDir;
    final List<String> httpAdmins = new ArrayList<>();
    String httpToken;
    boolean httpAllowAnonymous;
    /** The first line of an http_* access option, for the error if the listener is no http listener. */
    SourceLocation httpAccessAt;

    ListenerBuilder(int port, String bindAddress, SourceLocation definedAt) {
        this.port = port;
        this.bindAddress = bindAddress;
        this.definedAt = definedAt;
    }

    /** Notes the first line that configured this listener, for later error messages. */
    void touchedAt(SourceLocation location) {
        if (definedAt == null) {
            definedAt = location;
        }
    }

    void httpAccessAt(SourceLocation location) {
        if (httpAccessAt == null) {
            httpAccessAt = location;
        }
    }

    boolean isTouched() {
        return definedAt != null;
    }

    /** The port and bind address in words, for messages. */
    String describe() {
        return "port " + port + (bindAddress == null ? " (all interfaces)" : " on " + bindAddress);
    }

    /** Port 0 is exempt: every such listener gets its own ephemeral port. */
    boolean sameSocketAs(ListenerBuilder other) {
        return port != 0 && port == other.port && Objects.equals(bindAddress, other.bindAddress);
    }

    /** Cross-option checks that cannot be made while reading a single line. */
    void validate() throws ConfigException {
        if ((certfile == null) != (keyfile == null)) {
            throw ConfigException.at(definedAt,
                    "Listener on " + describe() + " needs both certfile and keyfile for TLS.");
        }
        if (httpAccessAt != null && protocol != ListenerProtocol.HTTP) {
            throw ConfigException.at(httpAccessAt, "http_admin, http_token and http_allow_anonymous are options of a"
                    + " listener with protocol http; the listener on " + describe() + " has protocol "
                    + protocol.name().toLowerCase(Locale.ROOT) + ".");
        }
    }

    ListenerConfig build() {
        return build(port, false);
    }

    /** This listener in mosquitto's local only mode, on {@code localPort}. */
    ListenerConfig buildLocalOnly(int localPort) {
        return build(localPort, true);
    }

    private ListenerConfig build(int effectivePort, boolean localOnly) {
        return new ListenerConfig(effectivePort, bindAddress, localOnly, protocol, socketDomain, mountPoint,
                maxConnections, maxQos, maxTopicAlias, useUsernameAsClientId,
                Optional.ofNullable(cafile), Optional.ofNullable(capath), Optional.ofNullable(certfile),
                Optional.ofNullable(keyfile), Optional.ofNullable(crlfile),
                requireCertificate, useIdentityAsUsername, useSubjectAsUsername, tlsVersion, ciphers,
                security.allowAnonymous(), security.passwordFile(), security.aclFile(), maxConnectionRatePerAddress,
                Optional.ofNullable(httpDir), new HttpAccessConfig(httpAdmins, httpToken, httpAllowAnonymous));
    }
}
