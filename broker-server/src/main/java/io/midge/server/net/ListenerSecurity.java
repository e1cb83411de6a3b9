package io.midge.server.net;

import io.midge.core.auth.AclAuthorizer;
import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.auth.AnonymousOnlyAuthenticator;
import io.midge.core.auth.AuthFileException;
import io.midge.core.auth.Authenticator;
import io.midge.core.auth.Authorizer;
import io.midge.core.auth.PasswordFileAuthenticator;
import io.midge.core.auth.Reloadable;
import io.midge.server.config.BrokerConfig;
import io.midge.server.config.ListenerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The authenticators and authorizers of every listener, built once from password_file,
 * acl_file and allow_anonymous (per listener under per_listener_settings, else shared), and
 * the files SIGHUP re-reads.
 */
final class ListenerSecurity {

    private static final Logger log = LoggerFactory.getLogger("midge");

    private record AuthenticatorKey(Optional<Path> passwordFile, boolean allowAnonymous) {}

    private final BrokerConfig config;
    private final Map<AuthenticatorKey, Authenticator> authenticators = new HashMap<>();
    private final Map<Path, Authorizer> authorizers = new HashMap<>();
    private final List<Reloadable> reloadable = new ArrayList<>();

    ListenerSecurity(BrokerConfig config) {
        this.config = config;
    }

    /** Loads the files a listener uses (each file once, however many listeners share it). */
    ListenerContext contextFor(ListenerConfig listener) throws AuthFileException {
        return new ListenerContext(listener, authenticatorFor(listener), authorizerFor(listener),
                config.maxQosFor(listener), config.useUsernameAsClientIdFor(listener),
                config.clientIdPrefixesFor(listener).orElse(null));
    }

    private Authenticator authenticatorFor(ListenerConfig listener) throws AuthFileException {
        AuthenticatorKey key = new AuthenticatorKey(config.passwordFileFor(listener), config.allowAnonymousFor(listener));
        Authenticator existing = authenticators.get(key);
        if (existing != null) {
            return existing;
        }
        Authenticator created;
        if (key.passwordFile().isPresent()) {
            PasswordFileAuthenticator fromFile = PasswordFileAuthenticator.load(key.passwordFile().get(), key.allowAnonymous());
            reloadable.add(fromFile);
            created = fromFile;
        } else {
            created = new AnonymousOnlyAuthenticator(key.allowAnonymous());
        }
        authenticators.put(key, created);
        return created;
    }

    private Authorizer authorizerFor(ListenerConfig listener) throws AuthFileException {
        Optional<Path> aclFile = config.aclFileFor(listener);
        if (aclFile.isEmpty()) {
            return AllowAllAuthorizer.INSTANCE;
        }
        Authorizer existing = authorizers.get(aclFile.get());
        if (existing != null) {
            return existing;
        }
        AclAuthorizer created = AclAuthorizer.load(aclFile.get());
        reloadable.add(created);
        authorizers.put(aclFile.get(), created);
        return created;
    }

    /** SIGHUP: re-reads every password and ACL file; a broken one keeps its old rules. */
    void reload() {
        for (Reloadable file : reloadable) {
            try {
                file.reload();
                log.debug("Reloaded {}.", file.file()); // mosquitto says only "Reloading config."
            } catch (AuthFileException e) {
                log.error("Error reloading {}: {}; keeping the previous rules.", file.file(), e.getMessage());
            }
        }
    }
}
