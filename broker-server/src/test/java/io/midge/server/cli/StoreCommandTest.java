package io.midge.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code midge store import-mosquitto | check | salvage} as the command line runs them. */
class StoreCommandTest {

    /** Written by Debian's mosquitto 2.0.11; see make-fixture.sh beside it. */
    private static final Path MOSQUITTO_DB =
            Path.of("../broker-core/src/test/resources/io/midge/core/store/mosquitto/mosquitto-2.0.db");

    @TempDir
    Path dir;

    private Path config;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void writeConfig() throws Exception {
        config = Files.writeString(dir.resolve("midge.conf"),
                "persistence true\npersistence_location " + dir + "/\n");
    }

    private int midge(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return new CommandLine(new MidgeCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
    }

    private Path mosquittoDb() throws Exception {
        return Files.copy(MOSQUITTO_DB, dir.resolve("mosquitto.db"));
    }

    @Test
    void importsAMosquittoFileAndLeavesItAlone() throws Exception {
        Path file = mosquittoDb();
        byte[] before = Files.readAllBytes(file);
        assertEquals(0, midge("store", "import-mosquitto", file.toString(), "-c", config.toString()), err.toString());
        assertEquals("Imported " + file + " (mosquitto format version 6) into " + dir.resolve("midge.db") + ":\n"
                + "  2 retained messages, 3 sessions, 3 subscriptions, 4 queued messages (2 in flight), "
                + "1 received QoS 2 messages awaiting PUBREL.\n", out.toString());
        assertArrayEquals(before, Files.readAllBytes(file));

        assertEquals(0, midge("store", "check", "-c", config.toString()), err.toString());
        assertEquals("Persistence store " + dir.resolve("midge.db") + ": 2 retained messages, 3 sessions, "
                + "3 subscriptions, 4 queued messages (2 in flight), 1 received QoS 2 messages awaiting PUBREL.\n"
                + "No damage found.\n", out.toString());
    }

    @Test
    void refusesToImportIntoAStoreThatHoldsData() throws Exception {
        Path file = mosquittoDb();
        assertEquals(0, midge("store", "import-mosquitto", file.toString(), "-c", config.toString()));
        assertEquals(1, midge("store", "import-mosquitto", file.toString(), "-c", config.toString()));
        assertTrue(err.toString().startsWith("Error: Persistence store " + dir.resolve("midge.db")
                + " already holds data (2 retained messages, 3 sessions"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void aDamagedMosquittoFileCreatesNoStore() throws Exception {
        Path file = Files.write(dir.resolve("mosquitto.db"), java.util.Arrays.copyOf(Files.readAllBytes(MOSQUITTO_DB), 100));
        assertEquals(1, midge("store", "import-mosquitto", file.toString(), "-c", config.toString()));
        assertTrue(err.toString().startsWith("Error: mosquitto persistence file " + file + " is damaged at offset "),
                err.toString());
        assertTrue(!Files.exists(dir.resolve("midge.db")));
    }

    @Test
    void checkingAMissingStoreNamesTheDirectory() {
        assertEquals(ExitCodes.FILE_UNREADABLE, midge("store", "check", "-c", config.toString()));
        assertEquals("Error: No persistence store in " + dir.resolve("midge.db") + " (it has no CURRENT file).\n",
                err.toString());
    }

    @Test
    void salvagesIntoANewStoreAndSaysHowToUseIt() throws Exception {
        assertEquals(0, midge("store", "import-mosquitto", mosquittoDb().toString(), "-c", config.toString()));
        Path output = dir.resolve("salvaged");
        assertEquals(0, midge("store", "salvage", "-c", config.toString(), output.toString()), err.toString());
        Path store = dir.resolve("midge.db");
        assertEquals("Salvaged persistence store " + store + " into " + output + ".\n"
                + "Recovered: 2 retained messages, 3 sessions, 3 subscriptions, 4 queued messages (2 in flight), "
                + "1 received QoS 2 messages awaiting PUBREL.\n"
                + "Lost: nothing.\n"
                + "To use it: stop Midge, move " + store + " aside, and move " + output + " to " + store + ".\n",
                out.toString());
        assertEquals(1, midge("store", "salvage", "-c", config.toString(), output.toString()));
        assertTrue(err.toString().startsWith("Error: Output directory " + output + " is not empty"), err.toString());
    }

    @Test
    void storeAloneShowsItsSubcommands() {
        assertEquals(ExitCodes.INVALID, midge("store"));
        assertTrue(err.toString().contains("import-mosquitto") && err.toString().contains("salvage"), err.toString());
    }
}
