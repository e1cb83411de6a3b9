package io.midge.server.net;

import io.midge.core.auth.Authenticator;
import io.midge.core.auth.Authorizer;
import io.midge.server.config.ListenerConfig;

/**
 * What a connection needs to know of the listener it came in on: who may log in and what they may
 * do there (per_listener_settings makes these per listener), its topic mount point and its
 * client rules.
 *
 * @param maxQos                the highest QoS a client may publish with or be granted (max_qos)
 * @param useUsernameAsClientId use_username_as_clientid
 * @param clientIdPrefixes      clientid_prefixes: the prefix every client id must have, or null
 */
record ListenerContext(ListenerConfig config, Authenticator authenticator, Authorizer authorizer,
                       int maxQos, boolean useUsernameAsClientId, String clientIdPrefixes) {

    /** The topic prefix of mount_point, or "" for none. */
    String mountPoint() {
        return config.mountPoint() == null ? "" : config.mountPoint();
    }

    /** use_identity_as_username / use_subject_as_username: the client certificate names the user. */
    boolean usernameFromCertificate() {
        return config.useIdentityAsUsername() || config.useSubjectAsUsername();
    }
}
