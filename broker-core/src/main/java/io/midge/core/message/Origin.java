package io.midge.core.message;

import io.midge.core.auth.Authorizer;

/**
 * Who published a message: the client and the rules it published under. Kept with retained
 * messages so that check_retain_source can ask, at each delivery, whether that client may still
 * write the topic.
 *
 * @param username   null for an anonymous client
 * @param authorizer the publisher's listener's rules (they change in place on SIGHUP)
 */
public record Origin(String clientId, String username, Authorizer authorizer) {

    /** Whether the publisher may (still) publish to {@code topic}. */
    public boolean mayWrite(String topic) {
        return authorizer.canWrite(clientId, username, topic);
    }
}
