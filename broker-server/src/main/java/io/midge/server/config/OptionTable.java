package io.midge.server.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Maps option names (and option name prefixes such as {@code plugin_opt_}) to their handlers. */
final class OptionTable {

    /** Applies one directive to the configuration being built. */
    @FunctionalInterface
    interface Handler {
        void apply(Directive directive, FileScope scope) throws ConfigException;
    }

    /** Applies one directive to the part of the configuration its option belongs to. */
    @FunctionalInterface
    interface Setter<T> {
        void apply(T target, Directive directive) throws ConfigException;
    }

    /** Checks the value of an option whose value is not kept. */
    @FunctionalInterface
    interface Validator {
        void check(Directive directive) throws ConfigException;
    }

    private final Map<String, Handler> byName = new HashMap<>();
    private final Map<String, Handler> byPrefix = new LinkedHashMap<>();

    /** The options of mosquitto 2.0's mosquitto.conf(5). */
    static OptionTable mosquitto() {
        OptionTable table = new OptionTable();
        GeneralOptions.register(table);
        LoggingOptions.register(table);
        ListenerOptions.register(table);
        SecurityOptions.register(table);
        PersistenceOptions.register(table);
        BridgeOptions.register(table);
        IgnoredOptions.register(table);
        return table;
    }

    void apply(Directive directive, FileScope scope) throws ConfigException {
        Handler handler = byName.get(directive.name());
        if (handler == null) {
            handler = byPrefix.entrySet().stream()
                    .filter(e -> directive.name().length() > e.getKey().length()
                            && directive.name().startsWith(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> directive.error(
                            "Unknown configuration variable \"" + directive.name() + "\"."));
        }
        handler.apply(directive, scope);
    }

    /** Every option name and prefix (prefixes end in {@code _}), sorted. */
    Set<String> names() {
        Set<String> names = new TreeSet<>(byName.keySet());
        names.addAll(byPrefix.keySet());
        return names;
    }

    void add(String name, Handler handler) {
        if (byName.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("option registered twice: " + name);
        }
    }

    void addPrefix(String prefix, Handler handler) {
        if (byPrefix.putIfAbsent(prefix, handler) != null) {
            throw new IllegalStateException("option prefix registered twice: " + prefix);
        }
    }

    void general(String name, Setter<ConfigBuilder> setter) {
        add(name, (directive, scope) -> setter.apply(scope.config(), directive));
    }

    void logging(String name, Setter<LogSettingsBuilder> setter) {
        add(name, (directive, scope) -> setter.apply(scope.config().logging, directive));
    }

    void listener(String name, Setter<ListenerBuilder> setter) {
        add(name, (directive, scope) -> setter.apply(scope.listener(directive), directive));
    }

    void security(String name, Setter<SecurityBuilder> setter) {
        add(name, securityHandler(setter));
    }

    void securityPrefix(String prefix, Setter<SecurityBuilder> setter) {
        addPrefix(prefix, securityHandler(setter));
    }

    void bridge(String name, Setter<BridgeBuilder> setter) {
        add(name, (directive, scope) -> setter.apply(scope.bridge(directive), directive));
    }

    /** Decorates a setter so that the option is listed as accepted but not acted upon yet. */
    static <T> Setter<T> notYet(Setter<T> setter) {
        return (target, directive) -> {
            setter.apply(target, directive);
            directive.warnNotSupportedYet();
        };
    }

    /** A setter that only validates, for options whose value nothing reads yet. */
    static <T> Setter<T> validateOnly(Validator validator) {
        return (target, directive) -> validator.check(directive);
    }

    /** An option Midge recognises but refuses to start with, for {@code reason}. */
    static Handler refused(String reason) {
        return (directive, scope) -> {
            throw directive.error(directive.name() + ": " + reason);
        };
    }

    private static Handler securityHandler(Setter<SecurityBuilder> setter) {
        return (directive, scope) -> setter.apply(scope.security(directive), directive);
    }
}
