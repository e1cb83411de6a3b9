package io.midge.core.auth;

/** The broker without {@code acl_file}: every client may read and write every topic. */
public enum AllowAllAuthorizer implements Authorizer {
    INSTANCE;

    @Override
    public boolean canRead(String clientId, String username, String topic) {
        return true;
    }

    @Override
    public boolean canWrite(String clientId, String username, String topic) {
        return true;
    }
}
