package io.midge.server.config;

/**
 * mosquitto options Midge validates but will not implement. Those that would change behaviour
 * leave a warning; harmless ones are accepted silently.
 */
final class IgnoredOptions {

    /** How an ignored option is reported. */
    private enum Report {
        /** Midge already behaves as the option asks, or the option has no visible effect. */
        SILENT(null),
        /** The option would change behaviour. */
        UNSUPPORTED(" is not supported; ignored."),
        /** mosquitto 2.0 itself ignores the option. */
        OBSOLETE(" is obsolete; ignored.");

        /** Appended to the option name to form the warning; {@code null} for no warning. */
        private final String warningSuffix;

        Report(String warningSuffix) {
            this.warningSuffix = warningSuffix;
        }
    }

    private IgnoredOptions() {
    }

    static void register(OptionTable table) {
        ignore(table, "memory_limit", d -> d.longInRange(0, Long.MAX_VALUE), Report.UNSUPPORTED);
        ignore(table, "max_packet_size", d -> d.intInRange(20, Integer.MAX_VALUE), Report.UNSUPPORTED);
        ignore(table, "max_inflight_bytes", d -> d.longInRange(0, Long.MAX_VALUE), Report.UNSUPPORTED);
        // Netty channels are always opened with TCP_NODELAY.
        ignore(table, "set_tcp_nodelay", Directive::bool, Report.SILENT);
        ignore(table, "websockets_log_level", d -> d.intInRange(0, Integer.MAX_VALUE), Report.SILENT);
        ignore(table, "websockets_headers_size", d -> d.intInRange(0, 65535), Report.SILENT);
        ignore(table, "allow_duplicate_messages", Directive::bool, Report.SILENT);
        // Topic aliases exist in MQTT 5 only; mosquitto too ignores the option for MQTT 3.1.1 clients.
        ignore(table, "max_topic_alias", d -> d.intInRange(0, 65535), Report.SILENT);
        ignore(table, "retry_interval", d -> d.intInRange(0, Integer.MAX_VALUE), Report.OBSOLETE);
        ignore(table, "store_clean_interval", d -> d.intInRange(0, Integer.MAX_VALUE), Report.OBSOLETE);
    }

    private static void ignore(OptionTable table, String name, OptionTable.Validator validator, Report report) {
        table.add(name, (directive, scope) -> {
            validator.check(directive);
            if (report.warningSuffix != null) {
                directive.warn(name + report.warningSuffix);
            }
        });
    }
}
