package io.midge.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileWriterTest {

    @TempDir
    Path dir;

    @Test
    void createsANewFileReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("pw");
        PasswordFileWriter.write(file, List.of("a:1", "b:2"));
        assertEquals("a:1\nb:2\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of(file), Files.list(dir).toList(), "no temporary file left behind");
    }

    @Test
    void replacingKeepsTheModeOfTheExistingFile() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        PasswordFileWriter.write(file, List.of("new"));
        assertEquals("new\n", Files.readString(file));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void replacesTheTargetOfASymbolicLink() throws Exception {
        Path real = Files.writeString(dir.resolve("real"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        PasswordFileWriter.write(link, List.of("new"));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new\n", Files.readString(real));
    }

    @Test
    void writesAnEmptyFileForNoLines() throws Exception {
        Path file = dir.resolve("pw");
        PasswordFileWriter.write(file, List.of());
        assertEquals("", Files.readString(file));
    }
}
