package io.midge.core.route;

/**
 * A shared subscription's filter, {@code $share/{ShareName}/{filter}} (MQTT 5 section 4.8.2):
 * the subscribers of one share name and filter form a group, and each matching message goes to
 * one of them. MQTT 3.1.1 clients use the same syntax, as with mosquitto.
 *
 * @param group  the share name: at least one character, none of {@code / + #}
 * @param filter the topic filter the group subscribes to, a valid filter in its own right
 */
public record SharedFilter(String group, String filter) {

    /** What every shared subscription starts with; a filter starting so that is not a valid share is refused. */
    public static final String PREFIX = "$share/";

    /** Whether {@code subscription} is meant as a share (valid or not); {@code "$share"} alone is an ordinary filter. */
    public static boolean isShare(String subscription) {
        return subscription.startsWith(PREFIX);
    }

    /**
     * @return the share {@code subscription} names, or null if it is no share (see {@link #isShare})
     * @throws InvalidShareException if it starts with {@value #PREFIX} but breaks the share syntax
     */
    public static SharedFilter parse(String subscription) {
        if (!isShare(subscription)) {
            return null;
        }
        int groupEnd = subscription.indexOf('/', PREFIX.length());
        if (groupEnd < 0) {
            throw new InvalidShareException(subscription, "no topic filter after the share name");
        }
        String group = subscription.substring(PREFIX.length(), groupEnd);
        if (group.isEmpty()) {
            throw new InvalidShareException(subscription, "empty share name");
        }
        if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
            throw new InvalidShareException(subscription, "wildcard in the share name");
        }
        String filter = subscription.substring(groupEnd + 1);
        if (filter.isEmpty() || !Router.isAcceptableFilter(filter)) {
            throw new InvalidShareException(subscription, "invalid topic filter");
        }
        return new SharedFilter(group, filter);
    }

    /** Whether {@code subscription} is a share that {@link #parse} accepts. */
    public static boolean isValidShare(String subscription) {
        try {
            return parse(subscription) != null;
        } catch (InvalidShareException e) {
            return false;
        }
    }

    /** The subscription as the client wrote it, as sessions record it. */
    public String subscription() {
        return PREFIX + group + '/' + filter;
    }

    /** A filter that starts with {@value #PREFIX} but is no valid shared subscription. */
    public static final class InvalidShareException extends IllegalArgumentException {
        InvalidShareException(String subscription, String problem) {
            super("invalid shared subscription '" + subscription + "': " + problem);
        }
    }
}
