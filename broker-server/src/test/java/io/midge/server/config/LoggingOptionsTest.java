package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoggingOptionsTest extends ConfigFileTest {

    @Test
    void firstLogTypeReplacesTheDefaultAndLaterOnesAccumulate() throws Exception {
        BrokerConfig config = files.parse("log_type error", "log_type subscribe", "log_type error");

        assertEquals(EnumSet.of(LogType.ERROR, LogType.SUBSCRIBE), config.logTypes());
        assertTrue(config.logs(LogType.SUBSCRIBE));
        assertFalse(config.logs(LogType.NOTICE));
    }

    @Test
    void logTypeNoneClearsAndAllFills() throws Exception {
        assertEquals(EnumSet.noneOf(LogType.class), files.parse("log_type debug", "log_type none").logTypes());
        assertEquals(EnumSet.allOf(LogType.class), files.parse("log_type none", "log_type all").logTypes());
        assertEquals(EnumSet.of(LogType.WEBSOCKETS),
                files.parse("log_type all", "log_type none", "log_type websockets").logTypes());
    }

    @Test
    void everyLogTypeKeywordIsKnown() throws Exception {
        for (String word : List.of("debug", "error", "warning", "notice", "information",
                "subscribe", "unsubscribe", "websockets")) {
            assertEquals(1, files.parse("log_type " + word).logTypes().size(), word);
        }
    }

    @Test
    void unknownLogTypeListsTheChoices() {
        ConfigException e = files.fail("log_type info");

        assertEquals(files.at(1) + "Invalid value for log_type: \"info\" (expected one of debug, error, warning, "
                + "notice, information, subscribe, unsubscribe, websockets, none, all).", e.getMessage());
    }

    @Test
    void logDestsAccumulateWithoutDuplicates() throws Exception {
        BrokerConfig config = files.parse("log_dest stdout", "log_dest file logs/midge.log", "log_dest stdout");

        assertEquals(List.of(LogDest.of(LogDest.Kind.STDOUT), LogDest.file(dir.resolve("logs/midge.log"))),
                config.logDests());
    }

    @Test
    void logFilePathMayContainBlanks() throws Exception {
        BrokerConfig config = files.parse("log_dest file /var/log/my broker.log");

        assertEquals(List.of(LogDest.file(Path.of("/var/log/my broker.log"))), config.logDests());
    }

    @Test
    void logDestNoneMeansNoLogging() throws Exception {
        assertEquals(List.of(), files.parse("log_dest stderr", "log_dest none").logDests());
    }

    @Test
    void logDestFileNeedsAPath() {
        ConfigException e = files.fail("log_dest file");

        assertEquals(files.at(1) + "Missing value for log_dest (expected a path).", e.getMessage());
    }

    @Test
    void onlyOneLogFileIsAllowed() {
        ConfigException e = files.fail("log_dest file a.log", "log_dest file b.log");

        assertEquals(files.at(2) + "Duplicate \"log_dest file\" value.", e.getMessage());
    }

    @Test
    void stdoutTakesNoArgument() {
        ConfigException e = files.fail("log_dest stdout now");

        assertTrue(e.getMessage().startsWith(files.at(1) + "Invalid value for log_dest: \"stdout now\""),
                e.getMessage());
    }

    @Test
    void topicIsADestinationWithoutWarning() throws Exception {
        BrokerConfig config = files.parse("log_dest syslog", "log_dest topic", "log_dest stderr");

        assertEquals(List.of(LogDest.of(LogDest.Kind.SYSLOG), LogDest.of(LogDest.Kind.TOPIC),
                LogDest.of(LogDest.Kind.STDERR)), config.logDests());
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
    }

    @Test
    void dltIsRefusedNamingFileAndLine() {
        ConfigException e = files.fail("log_dest stderr", "log_dest dlt");

        assertEquals(files.at(2) + "log_dest dlt is not supported: Midge has no DLT (Diagnostic Log and Trace) support.",
                e.getMessage());
    }

    @Test
    void timestampOptions() throws Exception {
        BrokerConfig config = files.parse("log_timestamp false", "log_timestamp_format %Y-%m-%d %H:%M:%S");

        assertFalse(config.logTimestamp());
        assertEquals("%Y-%m-%d %H:%M:%S", config.logTimestampFormat());
        ZonedDateTime time = ZonedDateTime.of(2024, 3, 9, 7, 5, 2, 0, ZoneOffset.UTC);
        assertEquals("2024-03-09 07:05:02", config.logTimestampFormatter().orElseThrow().format(time));
    }
}
