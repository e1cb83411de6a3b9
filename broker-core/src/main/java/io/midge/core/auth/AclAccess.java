package io.midge.core.auth;

import java.util.Optional;

/** The access word of an ACL line; a line without one grants {@link #READWRITE}. */
enum AclAccess {
    READ("read"),
    WRITE("write"),
    READWRITE("readwrite"),
    /** Refuses both, and wins over grants: see {@link AclFile}. */
    DENY("deny");

    private final String keyword;

    AclAccess(String keyword) {
        this.keyword = keyword;
    }

    /** The access a keyword names; mosquitto is case-sensitive here, so "Read" is no keyword. */
    static Optional<AclAccess> ofKeyword(String word) {
        for (AclAccess access : values()) {
            if (access.keyword.equals(word)) {
                return Optional.of(access);
            }
        }
        return Optional.empty();
    }

    boolean grants(AclOperation operation) {
        return switch (this) {
            case READ -> operation == AclOperation.READ;
            case WRITE -> operation == AclOperation.WRITE;
            case READWRITE -> true;
            case DENY -> false;
        };
    }
}
