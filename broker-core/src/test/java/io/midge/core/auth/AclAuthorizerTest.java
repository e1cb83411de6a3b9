package io.midge.core.auth;

import static io.midge.core.auth.MosquittoFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclAuthorizerTest {

    @TempDir
    Path dir;

    @Test
    void answersFromTheFile() throws Exception {
        AclAuthorizer acl = AclAuthorizer.load(write(dir.resolve("acl"), "user bob", "topic read r", "topic write w"));
        assertTrue(acl.canRead("c", "bob", "r"));
        assertFalse(acl.canWrite("c", "bob", "r"));
        assertTrue(acl.canWrite("c", "bob", "w"));
        assertFalse(acl.canRead("c", "bob", "w"));
    }

    @Test
    void reloadSwitchesRulesAndKeepsOldOnesWhenTheFileBreaks() throws Exception {
        AclAuthorizer acl = AclAuthorizer.load(write(dir.resolve("acl"), "user bob", "topic read old"));

        write(acl.file(), "user bob", "topic read new");
        acl.reload();
        assertTrue(acl.canRead("c", "bob", "new"));
        assertFalse(acl.canRead("c", "bob", "old"));

        write(acl.file(), "user bob", "topic read newer", "topic sideways x");
        AuthFileException e = assertThrows(AuthFileException.class, acl::reload);
        assertEquals(acl.file() + ":3: invalid access 'sideways' (expected read, write, readwrite or deny)", e.getMessage());
        assertTrue(acl.canRead("c", "bob", "new"));
        assertFalse(acl.canRead("c", "bob", "newer"));
    }

    @Test
    void allowAllAllowsAll() {
        Authorizer all = AllowAllAuthorizer.INSTANCE;
        assertTrue(all.canRead("c", null, "$SYS/broker/uptime"));
        assertTrue(all.canWrite("c", "bob", "a"));
    }
}
