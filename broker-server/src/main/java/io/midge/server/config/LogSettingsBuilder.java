package io.midge.server.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;

/**
 * Collects {@code log_type} and {@code log_dest} lines. Like mosquitto, the first line of either
 * option replaces the default and later lines add to it.
 */
final class LogSettingsBuilder {

    private static final EnumSet<LogType> DEFAULT_TYPES =
            EnumSet.of(LogType.ERROR, LogType.WARNING, LogType.NOTICE, LogType.INFORMATION);

    private EnumSet<LogType> types;
    private List<LogDest> dests;
    boolean timestamp = true;
    String timestampFormat;
    Integer facility;

    void addType(LogType type) {
        explicitTypes().add(type);
    }

    void addAllTypes() {
        explicitTypes().addAll(EnumSet.allOf(LogType.class));
    }

    void clearTypes() {
        explicitTypes().clear();
    }

    /** Adds a destination; repeating one that is already there changes nothing, as in mosquitto. */
    void addDest(LogDest dest) {
        List<LogDest> current = explicitDests();
        if (!current.contains(dest)) {
            current.add(dest);
        }
    }

    void clearDests() {
        explicitDests().clear();
    }

    boolean hasFileDest() {
        return dests != null && dests.stream().anyMatch(d -> d.kind() == LogDest.Kind.FILE);
    }

    OptionalInt facility() {
        return facility == null ? OptionalInt.empty() : OptionalInt.of(facility);
    }

    EnumSet<LogType> types() {
        return types == null ? EnumSet.copyOf(DEFAULT_TYPES) : EnumSet.copyOf(types);
    }

    List<LogDest> dests() {
        return dests == null ? List.of(LogDest.of(LogDest.Kind.STDERR)) : List.copyOf(dests);
    }

    private EnumSet<LogType> explicitTypes() {
        if (types == null) {
            types = EnumSet.noneOf(LogType.class);
        }
        return types;
    }

    private List<LogDest> explicitDests() {
        if (dests == null) {
            dests = new ArrayList<>();
        }
        return dests;
    }
}
