package io.midge.server.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One network listener: a {@code listener PORT [BIND]} block, or the default listener configured
 * by {@code port}/{@code bind_address} and by listener options given before any {@code listener}.
 *
 * @param port TCP port, 0..65535 (0 lets the operating system choose)
 * @param bindAddress host name or address to bind, or {@code null} for all interfaces (or, when
 *     {@code localOnly}, for the loopback addresses)
 * @param localOnly mosquitto 2's local only mode, for a configuration without any listener: bind
 *     127.0.0.1 and ::1 only, and start if at least one of them can be opened
 * @param protocol transport spoken on this listener
 * @param socketDomain address family restriction, or {@code null} for both families
 * @param mountPoint topic prefix for clients of this listener, or {@code null}
 * @param maxConnections connection limit for this listener, -1 for unlimited
 * @param maxQos {@code max_qos}: the highest QoS clients of this listener may use, 0..2
 * @param maxTopicAlias {@code max_topic_alias}: topic aliases an MQTT 5 client of this listener may set,
 *     0..65535 (0: none); told to the client in CONNACK
 * @param useUsernameAsClientId {@code use_username_as_clientid}: the client's username replaces its client id
 * @param cafile CA certificates file for verifying clients
 * @param capath directory of CA certificates for verifying clients
 * @param certfile server certificate; its presence turns the listener into a TLS listener
 * @param keyfile private key for {@code certfile}
 * @param crlfile certificate revocation list
 * @param requireCertificate whether clients must present a valid certificate
 * @param useIdentityAsUsername use the certificate CN as username
 * @param useSubjectAsUsername use the full certificate subject as username
 * @param tlsVersion {@code tlsv1.1}, {@code tlsv1.2} or {@code tlsv1.3}; {@code null} allows all
 * @param ciphers OpenSSL cipher list for TLS 1.2 and earlier, or {@code null}
 * @param allowAnonymous this listener's {@code allow_anonymous}; only set with
 *     {@code per_listener_settings true}, see {@link BrokerConfig#allowAnonymousFor}
 * @param passwordFile this listener's {@code password_file} (per_listener_settings only)
 * @param aclFile this listener's {@code acl_file} (per_listener_settings only)
 * @param maxConnectionRatePerAddress {@code max_connection_rate_per_address} (Midge): connections one
 *     source address may open per second, 0 for no limit
 * @param httpDir {@code http_dir}: the directory a websockets listener serves plain HTTP requests from
 * @param httpAccess who may use a {@code protocol http} listener
 */
public record ListenerConfig(
        int port,
        String bindAddress,
        boolean localOnly,
        ListenerProtocol protocol,
        SocketDomain socketDomain,
        String mountPoint,
        int maxConnections,
        int maxQos,
        int maxTopicAlias,
        boolean useUsernameAsClientId,
        Optional<Path> cafile,
        Optional<Path> capath,
        Optional<Path> certfile,
        Optional<Path> keyfile,
        Optional<Path> crlfile,
        boolean requireCertificate,
        boolean useIdentityAsUsername,
        boolean useSubjectAsUsername,
        String tlsVersion,
        String ciphers,
        Optional<Boolean> allowAnonymous,
        Optional<Path> passwordFile,
        Optional<Path> aclFile,
        int maxConnectionRatePerAddress,
        Optional<Path> httpDir,
        HttpAccessConfig httpAccess) {

    /** Checks the invariants the parser guarantees. */
    public ListenerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxQos < 0 || maxQos > 2) {
            throw new IllegalArgumentException("max_qos out of range: " + maxQos);
        }
        if (maxTopicAlias < 0 || maxTopicAlias > 65535) {
            throw new IllegalArgumentException("max_topic_alias out of range: " + maxTopicAlias);
        }
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cafile, "cafile");
        Objects.requireNonNull(capath, "capath");
        Objects.requireNonNull(certfile, "certfile");
        Objects.requireNonNull(keyfile, "keyfile");
        Objects.requireNonNull(crlfile, "crlfile");
        Objects.requireNonNull(allowAnonymous, "allowAnonymous");
        Objects.requireNonNull(passwordFile, "passwordFile");
        Objects.requireNonNull(aclFile, "aclFile");
        Objects.requireNonNull(httpDir, "httpDir");
        Objects.requireNonNull(httpAccess, "httpAccess");
    }

    /** Whether this listener speaks TLS, which mosquitto decides by the presence of a certfile. */
    public boolean isTls() {
        return certfile.isPresent();
    }
}
