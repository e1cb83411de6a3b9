package io.midge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigParserSyntaxTest extends ConfigFileTest {

    @Test
    void commentsAndBlankLinesAreSkipped() throws Exception {
        BrokerConfig config = files.parse(
                "# a comment",
                "",
                "   # an indented comment",
                "\t",
                "max_keepalive 30",
                "#max_keepalive 40");

        assertEquals(30, config.maxKeepalive());
    }

    @Test
    void hashInsideAValueIsNotAComment() throws Exception {
        BrokerConfig config = files.parse("auto_id_prefix id#");

        assertEquals("id#", config.autoIdPrefix());
    }

    @Test
    void crlfLineEndingsAreAccepted() throws Exception {
        BrokerConfig config = files.parseRaw("# comment\r\nmax_keepalive 30\r\nauto_id_prefix x-\r\n");

        assertEquals(30, config.maxKeepalive());
        assertEquals("x-", config.autoIdPrefix());
    }

    @Test
    void missingFinalNewlineIsAccepted() throws Exception {
        BrokerConfig config = files.parseRaw("max_keepalive 30\nmax_queued_messages 5");

        assertEquals(5, config.maxQueuedMessages());
    }

    @Test
    void blanksAroundNameAndValueAreIgnoredAndTabsSeparate() throws Exception {
        BrokerConfig config = files.parseRaw("  max_keepalive\t \t30  \n\tauto_id_prefix   a b  \n");

        assertEquals(30, config.maxKeepalive());
        assertEquals("a b", config.autoIdPrefix(), "strings run to the end of the line, as in mosquitto");
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        BrokerConfig config = files.parseRaw("\uFEFFmax_keepalive 30\n");

        assertEquals(30, config.maxKeepalive());
    }

    @Test
    void emptyFileGivesDefaults() throws Exception {
        BrokerConfig config = files.parseRaw("");

        assertEquals(ConfigParser.defaults().listeners(), config.listeners());
        assertTrue(config.allowAnonymous());
    }

    @Test
    void unknownOptionNamesFileAndLine() {
        ConfigException e = files.fail("# comment", "", "no_such_option 1");

        assertEquals(files.at(3) + "Unknown configuration variable \"no_such_option\".", e.getMessage());
    }

    @Test
    void optionNamesAreCaseSensitive() {
        ConfigException e = files.fail("Max_Keepalive 30");

        assertEquals(files.at(1) + "Unknown configuration variable \"Max_Keepalive\".", e.getMessage());
    }

    @Test
    void missingArgumentIsAnError() {
        ConfigException e = files.fail("max_keepalive 30", "max_keepalive   ");

        assertEquals(files.at(2) + "Missing value for max_keepalive (expected an integer between 0 and 65535).",
                e.getMessage());
    }

    @Test
    void lineNumbersCountCrlfLinesOnce() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(files.writeRaw("crlf.conf", "# one\r\n\r\nbogus 1\r\n"), dir));

        assertTrue(e.getMessage().startsWith(files.at("crlf.conf", 3)), e.getMessage());
    }

    @Test
    void missingMainFileIsNamed() {
        Path missing = dir.resolve("absent.conf");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(missing));

        assertEquals("Unable to open config file " + missing + " (no such file).", e.getMessage());
    }

    @Test
    void directoryAsMainFileIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(dir));

        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void relativeMainFileIsResolvedAgainstTheWorkingDirectory() throws Exception {
        files.write("relative.conf", "max_keepalive 7");

        assertEquals(7, ConfigParser.parse(Path.of("relative.conf"), dir).maxKeepalive());
    }

    @Test
    void relativePathsResolveAgainstTheWorkingDirectory() throws Exception {
        BrokerConfig config = files.parse("password_file conf/passwd", "acl_file /etc/midge/acl");

        assertEquals(dir.resolve("conf/passwd"), config.passwordFile().orElseThrow());
        assertEquals(Path.of("/etc/midge/acl"), config.aclFile().orElseThrow());
    }

    @Test
    void includeDirReadsConfFilesInCaseSensitiveOrder() throws Exception {
        files.write("conf.d/b.conf", "auto_id_prefix b-");
        files.write("conf.d/a.conf", "auto_id_prefix a-", "max_keepalive 11");
        files.write("conf.d/C.conf", "auto_id_prefix C-", "max_keepalive 12");
        files.write("conf.d/z.txt", "not a config file");
        files.write("conf.d/.conf", "bogus");
        Files.createDirectories(dir.resolve("conf.d/dir.conf"));

        BrokerConfig config = files.parse("max_keepalive 10", "include_dir conf.d");

        // C < a < b: capitals sort first, the last file read wins.
        assertEquals("b-", config.autoIdPrefix());
        assertEquals(11, config.maxKeepalive());
    }

    @Test
    void includeDirIsReadWhereItAppears() throws Exception {
        files.write("conf.d/a.conf", "max_keepalive 11");

        BrokerConfig config = files.parse("include_dir conf.d", "max_keepalive 12");

        assertEquals(12, config.maxKeepalive());
    }

    @Test
    void errorsInIncludedFilesNameThatFile() {
        files.write("conf.d/a.conf", "", "max_keepalive x");

        ConfigException e = files.fail("include_dir conf.d");

        assertTrue(e.getMessage().startsWith(files.at("conf.d/a.conf", 2) + "Invalid value for max_keepalive"),
                e.getMessage());
    }

    @Test
    void missingIncludeDirIsAnError() {
        ConfigException e = files.fail("max_keepalive 10", "include_dir missing.d");

        assertEquals(files.at(2) + "include_dir " + dir.resolve("missing.d") + " does not exist or is not a directory.",
                e.getMessage());
    }

    @Test
    void includeDirWithoutArgumentIsAnError() {
        ConfigException e = files.fail("include_dir");

        assertTrue(e.getMessage().startsWith(files.at(1) + "Missing value for include_dir"), e.getMessage());
    }

    @Test
    void includeDirInIncludedFileIsIgnoredWithWarning() throws Exception {
        files.write("conf.d/a.conf", "include_dir other.d");

        BrokerConfig config = files.parse("include_dir conf.d");

        assertEquals(List.of(files.at("conf.d/a.conf", 1)
                + "include_dir is only processed in the main configuration file; ignored."), config.warnings());
    }

    @Test
    void includeDirMustNotContainTheMainFile() {
        ConfigException e = files.fail("include_dir .");

        assertTrue(e.getMessage().startsWith(files.at(1)), e.getMessage());
        assertTrue(e.getMessage().contains("must not contain the main configuration file"), e.getMessage());
    }

    @Test
    void emptyIncludeDirIsFine() throws Exception {
        Files.createDirectories(dir.resolve("empty.d"));

        assertTrue(files.parse("include_dir empty.d").warnings().isEmpty());
    }

    @Test
    void includedFileStartsAtTheDefaultListener() throws Exception {
        files.write("conf.d/a.conf", "mount_point inc/");

        BrokerConfig config = files.parse("listener 1884", "include_dir conf.d");

        // Like mosquitto, a listener block does not continue into an included file.
        assertEquals(2, config.listeners().size());
        ListenerConfig defaultListener = config.listeners().get(0);
        assertEquals(1883, defaultListener.port());
        assertEquals("inc/", defaultListener.mountPoint());
        assertEquals(null, config.listeners().get(1).mountPoint());
    }

    @Test
    void bridgeBlockDoesNotContinueIntoAnIncludedFile() {
        files.write("conf.d/a.conf", "address remote");

        ConfigException e = files.fail("connection b", "address h", "include_dir conf.d");

        assertEquals(files.at("conf.d/a.conf", 1) + "address is a bridge option and must follow a connection line.",
                e.getMessage());
    }

    @Test
    void configurationIsImmutable() throws Exception {
        BrokerConfig config = files.parse("listener 1883", "log_dest stdout");

        assertThrows(UnsupportedOperationException.class, () -> config.listeners().clear());
        assertThrows(UnsupportedOperationException.class, () -> config.logDests().clear());
        assertThrows(UnsupportedOperationException.class, () -> config.warnings().clear());
        config.logTypes().clear();
        assertFalse(config.logTypes().isEmpty(), "logTypes() hands out copies");
    }
}
