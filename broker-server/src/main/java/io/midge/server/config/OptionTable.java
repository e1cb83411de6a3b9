package io.midge.server.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps option names (and option name prefixes such as {@code plugin_opt_}) to their handlers, and
 * records for each what the configuration reference says about it. The status follows from how
 * an option is registered ({@link #notYet}, {@link #midgeOnly}, {@link #refuse}, bridge scope), so
 * the reference cannot drift from what the loader does.
 */
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

    /** Why bridge options warn: their values are checked, but no bridge connects yet. */
    private static final String NOT_YET = "not supported yet";

    private final Map<String, Handler> byName = new HashMap<>();
    private final Map<String, Handler> byPrefix = new LinkedHashMap<>();
    private final List<OptionInfo> infos = new ArrayList<>();

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

    /** What the reference says about every registered option, sorted by name. */
    List<OptionInfo> infos() {
        return infos.stream().sorted(Comparator.comparing(OptionInfo::name)).toList();
    }

    /** A broker-wide option with its own handler. */
    void add(String name, String description, Handler handler) {
        add(name, OptionScope.GENERAL, OptionStatus.SUPPORTED, "", description, handler);
    }

    /** An option Midge recognises but refuses to start with, for {@code reason}. */
    void refuse(String name, OptionScope scope, String description, String reason) {
        add(name, scope, OptionStatus.REFUSED, reason, description, (directive, fileScope) -> {
            throw directive.error(directive.name() + ": " + reason);
        });
    }

    /** An option whose scope and status the caller states, with {@code reason} for any status but supported. */
    void add(String name, OptionScope scope, OptionStatus status, String reason, String description,
            Handler handler) {
        if (byName.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("option registered twice: " + name);
        }
        infos.add(new OptionInfo(name, false, scope, status, description, reason));
    }

    void general(String name, String description, Setter<ConfigBuilder> setter) {
        add(name, OptionScope.GENERAL, statusOf(setter), reasonOf(setter), description,
                (directive, scope) -> setter.apply(scope.config(), directive));
    }

    void logging(String name, String description, Setter<LogSettingsBuilder> setter) {
        add(name, OptionScope.GENERAL, statusOf(setter), reasonOf(setter), description,
                (directive, scope) -> setter.apply(scope.config().logging, directive));
    }

    /** As {@link #logging(String, String, Setter)}, with a note on the option's values. */
    void logging(String name, String description, String valueNote, Setter<LogSettingsBuilder> setter) {
        add(name, OptionScope.GENERAL, statusOf(setter), valueNote, description,
                (directive, scope) -> setter.apply(scope.config().logging, directive));
    }

    void listener(String name, String description, Setter<ListenerBuilder> setter) {
        add(name, OptionScope.LISTENER, statusOf(setter), reasonOf(setter), description,
                (directive, scope) -> setter.apply(scope.listener(directive), directive));
    }

    void security(String name, String description, Setter<SecurityBuilder> setter) {
        add(name, OptionScope.SECURITY, statusOf(setter), reasonOf(setter), description, securityHandler(setter));
    }

    void securityPrefix(String prefix, String description, Setter<SecurityBuilder> setter) {
        if (byPrefix.putIfAbsent(prefix, securityHandler(setter)) != null) {
            throw new IllegalStateException("option prefix registered twice: " + prefix);
        }
        infos.add(new OptionInfo(prefix, true, OptionScope.SECURITY, statusOf(setter), description,
                reasonOf(setter)));
    }

    /** A bridge option: validated and kept, but reported as ignored until bridges run. */
    void bridge(String name, String description, Setter<BridgeBuilder> setter) {
        add(name, OptionScope.BRIDGE, OptionStatus.SUPPORTED, "", description,
                (directive, scope) -> setter.apply(scope.bridge(directive), directive));
    }

    /** Decorates a setter so that the option is listed as accepted but not acted upon yet. */
    static <T> Setter<T> notYet(Setter<T> setter) {
        return new NotYet<>(setter);
    }

    /** Marks a setter as one of Midge's own options, which mosquitto does not know. */
    static <T> Setter<T> midgeOnly(Setter<T> setter) {
        return new MidgeOnly<>(setter);
    }

    /** A setter that only validates, for options whose value nothing reads yet. */
    static <T> Setter<T> validateOnly(Validator validator) {
        return (target, directive) -> validator.check(directive);
    }

    private static OptionStatus statusOf(Setter<?> setter) {
        if (setter instanceof NotYet) {
            return OptionStatus.ACCEPTED_IGNORED_WARNING;
        }
        return setter instanceof MidgeOnly ? OptionStatus.SUPPORTED_MIDGE_ONLY : OptionStatus.SUPPORTED;
    }

    private static String reasonOf(Setter<?> setter) {
        return setter instanceof NotYet ? NOT_YET : "";
    }

    private static Handler securityHandler(Setter<SecurityBuilder> setter) {
        return (directive, scope) -> setter.apply(scope.security(directive), directive);
    }

    private record NotYet<T>(Setter<T> setter) implements Setter<T> {
        @Override
        public void apply(T target, Directive directive) throws ConfigException {
            setter.apply(target, directive);
            directive.warnNotSupportedYet();
        }
    }

    private record MidgeOnly<T>(Setter<T> setter) implements Setter<T> {
        @Override
        public void apply(T target, Directive directive) throws ConfigException {
            setter.apply(target, directive);
        }
    }
}
