package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/midge.service, the systemd unit the Debian package installs. */
class SystemdUnitTest {

    private static final Path UNIT = Command.REPO.resolve("conf/midge.service");

    @Test
    void itIsANotifyServiceOfItsOwnUserThatReloadsOnSighupAndRestartsOnFailure() throws IOException {
        List<String> lines = Files.readAllLines(UNIT);
        for (String expected : List.of(
                "Type=notify",
                "NotifyAccess=main",
                "ExecStart=/usr/bin/midge -c /etc/midge/midge.conf",
                "ExecReload=/bin/kill -HUP $MAINPID",
                "User=midge",
                "Group=midge",
                "AmbientCapabilities=CAP_NET_BIND_SERVICE",
                "Restart=on-failure",
                "LimitNOFILE=65536",
                "EnvironmentFile=-/etc/default/midge",
                "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/midge /var/log/midge",
                "NoNewPrivileges=true",
                "PrivateTmp=true",
                "ProtectHome=true",
                "WantedBy=multi-user.target")) {
            assertTrue(lines.contains(expected), "midge.service has " + expected);
        }
        // The JIT writes executable memory.
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("MemoryDenyWriteExecute=")), "no MemoryDenyWriteExecute");
    }

    @Test
    void systemdAnalyzeVerifiesItWithoutAWord(@TempDir Path dir) throws IOException {
        assumeTrue(Command.exists("systemd-analyze"), "needs systemd-analyze");
        // verify checks that ExecStart's program exists: the repository's copy of /usr/bin/midge.
        Path launcher = Command.REPO.resolve("packaging/midge");
        Path unit = dir.resolve("midge.service");
        Files.writeString(unit, Files.readString(UNIT)
                .replace("ExecStart=/usr/bin/midge ", "ExecStart=" + launcher + " "));

        Command.Outcome verify = Command.run(List.of("systemd-analyze", "verify", unit.toString()));

        assertEquals(new Command.Outcome(0, ""), verify);
    }
}
