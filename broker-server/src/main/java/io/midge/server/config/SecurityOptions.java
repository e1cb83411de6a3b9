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
        table.add("per_listener_settings", "true: security options apply to the listener they follow",
                SecurityOptions::perListenerSettings);
        table.security("allow_anonymous", "whether clients without a user name may connect",
                (s, d) -> s.allowAnonymous = d.bool());
        table.security("password_file", "user names and password hashes (mosquitto_passwd or midge passwd)",
                (s, d) -> s.passwordFile = d.path());
        table.security("acl_file", "access rules: topic, user, pattern lines", (s, d) -> s.aclFile = d.path());
        table.refuse("psk_file", OptionScope.SECURITY, "TLS-PSK identities and keys", ListenerOptions.NO_TLS_PSK);
        table.add("check_retain_source", "re-check a retained message's publisher's rights before delivering it",
                SecurityOptions::checkRetainSource);
        table.security("plugin", "authentication and access plugin (a mosquitto .so)",
                notYet(validateOnly(Directive::path)));
        table.security("auth_plugin", "older name of plugin", notYet(validateOnly(Directive::path)));
        table.security("auth_plugin_deny_special_chars", "deny + and # in user names and client ids for plugins",
                notYet(validateOnly(Directive::bool)));
        table.securityPrefix("plugin_opt_", "an option passed to the plugin", notYet(validateOnly(Directive::string)));
        table.securityPrefix("auth_opt_", "older name of plugin_opt_*", notYet(validateOnly(Directive::string)));
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
