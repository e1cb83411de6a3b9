package io.midge.server.config;

import static io.midge.server.config.OptionTable.notYet;
import static io.midge.server.config.OptionTable.validateOnly;

/**
 * Authentication and authorisation options. They are broker-wide, or per listener after
 * {@code per_listener_settings true}.
 */
final class SecurityOptions {

    private SecurityOptions() {
    }

    static void register(OptionTable table) {
        table.add("per_listener_settings", SecurityOptions::perListenerSettings);
        table.security("allow_anonymous", (s, d) -> s.allowAnonymous = d.bool());
        table.security("password_file", (s, d) -> s.passwordFile = d.path());
        table.security("acl_file", (s, d) -> s.aclFile = d.path());
        table.add("psk_file", OptionTable.refused(ListenerOptions.NO_TLS_PSK));
        table.add("check_retain_source", SecurityOptions::checkRetainSource);
        table.security("plugin", notYet(validateOnly(Directive::path)));
        table.security("auth_plugin", notYet(validateOnly(Directive::path)));
        table.security("auth_plugin_deny_special_chars", notYet(validateOnly(Directive::bool)));
        table.securityPrefix("plugin_opt_", notYet(validateOnly(Directive::string)));
        table.securityPrefix("auth_opt_", notYet(validateOnly(Directive::string)));
    }

    /**
     * Broker-wide even under per_listener_settings, as in mosquitto, which still counts it as a
     * security option for the rule that per_listener_settings comes first.
     */
    private static void checkRetainSource(Directive directive, FileScope scope) throws ConfigException {
        ConfigBuilder config = scope.config();
        config.securityOptionSeen = true;
        config.checkRetainSource = directive.bool();
    }

    private static void perListenerSettings(Directive directive, FileScope scope) throws ConfigException {
        ConfigBuilder config = scope.config();
        boolean perListener = directive.bool();
        // Earlier security options already went to the broker-wide settings (mosquitto's rule too).
        if (perListener && config.securityOptionSeen) {
            throw directive.error("per_listener_settings must be set before any other security settings.");
        }
        config.perListenerSettings = perListener;
    }
}
