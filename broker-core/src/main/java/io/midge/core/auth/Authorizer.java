package io.midge.core.auth;

/**
 * Decides which topics a logged-in client may publish to and receive from. Implementations
 * must be thread-safe.
 *
 * <p>Where the broker asks, following mosquitto 2.0:
 * <ul>
 *   <li>{@link #canWrite} for every PUBLISH a client sends and for its will message; a denied
 *       message is dropped (MQTT 3.1.1 has no way to say so; QoS 1 and 2 are still
 *       acknowledged);</li>
 *   <li>never for a SUBSCRIBE: mosquitto 2.0 grants every subscription its acl_file allows
 *       the syntax of, and filters what is delivered;</li>
 *   <li>{@link #canRead} for every message about to be delivered to a client, retained
 *       messages sent on subscribing included: a subscription's filter is no proof that the
 *       client may read each topic it matches.</li>
 * </ul>
 *
 * @see AclFile for mosquitto's acl_file rules
 */
public interface Authorizer {

    /**
     * @param clientId the client identifier (after any assignment by the broker), never null
     * @param username the user name the client logged in with, null for anonymous clients
     * @param topic    a valid topic name
     */
    boolean canRead(String clientId, String username, String topic);

    /** Parameters as {@link #canRead}. */
    boolean canWrite(String clientId, String username, String topic);
}
