package io.midge.core.protocol;

import io.midge.core.auth.Authenticator;
import io.midge.core.auth.Authorizer;
import io.midge.core.route.Router;
import io.midge.core.session.SessionRegistry;
import io.midge.core.sys.BrokerStats;

/**
 * What a client's protocol needs of the broker and of the listener it came in on; one instance
 * shared by a listener's connections.
 *
 * @param mountPoint              the topic prefix of mount_point, or "" for none
 * @param maxQos                  the highest QoS a client may publish with or be granted (max_qos)
 * @param usernameFromCertificate use_identity_as_username / use_subject_as_username: the client
 *                                certificate, not a password, names the user
 * @param bridge                  the local side of a bridge: what its remote broker sends is
 *                                published whatever the ACL and $SYS rules say, as in mosquitto
 * @param mqtt5                   what MQTT 5 clients are told and held to
 */
public record ProtocolContext(Router router, SessionRegistry sessions, BrokerStats stats, String mountPoint,
                              int maxQos, boolean retainAvailable, boolean connectionMessages,
                              Authenticator authenticator, Authorizer authorizer, boolean usernameFromCertificate,
                              boolean bridge, Mqtt5Limits mqtt5) {

    public ProtocolContext(Router router, SessionRegistry sessions, BrokerStats stats, String mountPoint,
                           int maxQos, boolean retainAvailable, boolean connectionMessages,
                           Authenticator authenticator, Authorizer authorizer, boolean usernameFromCertificate,
                           boolean bridge) {
        this(router, sessions, stats, mountPoint, maxQos, retainAvailable, connectionMessages, authenticator,
                authorizer, usernameFromCertificate, bridge, Mqtt5Limits.DEFAULTS);
    }

    /** A listener's context. */
    public ProtocolContext(Router router, SessionRegistry sessions, BrokerStats stats, String mountPoint,
                           int maxQos, boolean retainAvailable, boolean connectionMessages,
                           Authenticator authenticator, Authorizer authorizer, boolean usernameFromCertificate) {
        this(router, sessions, stats, mountPoint, maxQos, retainAvailable, connectionMessages, authenticator,
                authorizer, usernameFromCertificate, false);
    }
}
