package io.midge.server.config;

/**
 * mosquitto options Midge validates but will not implement. Those that would change behaviour
 * leave a warning; harmless ones are accepted silently.
 */
final class IgnoredOptions {

    /** Why an option that would change behaviour is ignored, and the warning that says so. */
    private enum Warned {
        OBSOLETE("obsolete; mosquitto 2.0 ignores it too", " is obsolete; ignored.");

        private final String reason;
        /** Appended to the option name to form the warning. */
        private final String warningSuffix;

        Warned(String reason, String warningSuffix) {
            this.reason = reason;
            this.warningSuffix = warningSuffix;
        }
    }

    private IgnoredOptions() {
    }

    static void register(OptionTable table) {
        silent(table, "set_tcp_nodelay", "disable Nagle's algorithm on client sockets", Directive::bool,
                "Midge always opens sockets with TCP_NODELAY");
        silent(table, "websockets_log_level", "libwebsockets' log level", d -> d.intInRange(0, Integer.MAX_VALUE),
                "Midge does not use libwebsockets");
        silent(table, "websockets_headers_size", "libwebsockets' header buffer size", d -> d.intInRange(0, 65535),
                "Midge does not use libwebsockets");
        silent(table, "allow_duplicate_messages", "whether overlapping subscriptions may each get a copy",
                Directive::bool, "Midge sends one copy either way, as MQTT 3.1.1 asks");
        warned(table, "retry_interval", "seconds before resending an unacknowledged message",
                d -> d.intInRange(0, Integer.MAX_VALUE), Warned.OBSOLETE);
        warned(table, "store_clean_interval", "seconds between clean-ups of the message store",
                d -> d.intInRange(0, Integer.MAX_VALUE), Warned.OBSOLETE);
    }

    private static void warned(OptionTable table, String name, String description, OptionTable.Validator validator,
            Warned why) {
        table.add(name, OptionScope.GENERAL, OptionStatus.ACCEPTED_IGNORED_WARNING, why.reason, description,
                (directive, scope) -> {
                    validator.check(directive);
                    directive.warn(name + why.warningSuffix);
                });
    }

    /** Midge already behaves as the option asks, or the option has no visible effect. */
    private static void silent(OptionTable table, String name, String description, OptionTable.Validator validator,
            String reason) {
        table.add(name, OptionScope.GENERAL, OptionStatus.ACCEPTED_SILENT, reason, description,
                (directive, scope) -> validator.check(directive));
    }
}
