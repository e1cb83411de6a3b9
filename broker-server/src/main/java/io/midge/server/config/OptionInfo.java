package io.midge.server.config;

import java.util.Objects;

/**
 * What the configuration reference says about one option.
 *
 * @param name the option name, or a prefix such as {@code plugin_opt_}
 * @param prefix whether {@code name} is a prefix that takes any suffix
 * @param scope where the option takes effect
 * @param status what Midge does with it
 * @param description one line saying what it sets
 * @param note why it is not simply supported, or a note on some of its values; empty if none
 */
record OptionInfo(String name, boolean prefix, OptionScope scope, OptionStatus status, String description,
        String note) {

    OptionInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(note, "note");
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("option " + name + " needs a description");
        }
        if (status != OptionStatus.SUPPORTED && status != OptionStatus.SUPPORTED_MIDGE_ONLY && note.isBlank()) {
            throw new IllegalArgumentException("option " + name + " is " + status + " and needs a reason");
        }
    }

    /** The name as written in a configuration file: a prefix gets a trailing {@code *}. */
    String displayName() {
        return prefix ? name + "*" : name;
    }
}
