package io.midge.server.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Authentication settings being collected, either broker-wide or, with
 * {@code per_listener_settings true}, for one listener.
 */
final class SecurityBuilder {

    Boolean allowAnonymous;
    Path passwordFile;
    Path aclFile;

    Optional<Boolean> allowAnonymous() {
        return Optional.ofNullable(allowAnonymous);
    }

    Optional<Path> passwordFile() {
        return Optional.ofNullable(passwordFile);
    }

    Optional<Path> aclFile() {
        return Optional.ofNullable(aclFile);
    }
}
