package io.midge.core.auth;

/**
 * The broker with no password file: everyone is let in when {@code allow_anonymous} is true and
 * nobody otherwise, since there are no accounts to check a user name against.
 */
public final class AnonymousOnlyAuthenticator implements Authenticator {

    private final boolean allowAnonymous;

    public AnonymousOnlyAuthenticator(boolean allowAnonymous) {
        this.allowAnonymous = allowAnonymous;
    }

    @Override
    public Result authenticate(String clientId, String username, byte[] password) {
        return allowAnonymous ? Result.ACCEPTED : Result.NOT_AUTHORIZED;
    }
}
