package io.midge.core.auth;

import java.nio.file.Path;

/**
 * Authorization by a mosquitto {@code acl_file} (rules in {@link AclFile}). Thread-safe;
 * {@link #reload()} switches to the file's new rules atomically and keeps the old ones when
 * the file has become unreadable or broken.
 */
public final class AclAuthorizer implements Authorizer, Reloadable {

    private final FileSnapshot<AclFile> rules;

    private AclAuthorizer(FileSnapshot<AclFile> rules) {
        this.rules = rules;
    }

    /** Reads {@code aclFile} now; fails when it is unreadable or has a bad line. */
    public static AclAuthorizer load(Path aclFile) throws AuthFileException {
        return new AclAuthorizer(new FileSnapshot<>(aclFile, AclFile::load));
    }

    @Override
    public boolean canRead(String clientId, String username, String topic) {
        return rules.current().canRead(clientId, username, topic);
    }

    @Override
    public boolean canWrite(String clientId, String username, String topic) {
        return rules.current().canWrite(clientId, username, topic);
    }

    @Override
    public Path file() {
        return rules.file();
    }

    @Override
    public void reload() throws AuthFileException {
        rules.reload();
    }
}
