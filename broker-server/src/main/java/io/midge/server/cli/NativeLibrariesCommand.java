package io.midge.server.cli;

import com.sun.jna.Platform;
import io.netty.util.internal.PlatformDependent;
import org.rocksdb.util.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code midge native-libraries DIR}: copies the native libraries in the jar for this machine
 * (Netty's epoll transport, JNA's dispatch library, RocksDB's JNI library) into DIR. Each of the
 * three looks on java.library.path (JNA: jna.boot.library.path) before it extracts its copy from
 * the jar into a temporary file, which every start otherwise does again: 17 MB for RocksDB, and
 * about a tenth of a second in all. The launchers run this next to the class-data archive.
 */
@Command(name = "native-libraries", hidden = true,
        description = "Copies this machine's native libraries out of the jar, for java.library.path.")
final class NativeLibrariesCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(dir);
        int copied = 0;
        for (String resource : resources()) {
            try (InputStream in = NativeLibrariesCommand.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    continue; // none for this machine: that library extracts (or falls back) as before
                }
                Path target = dir.resolve(Path.of(resource).getFileName().toString());
                Path partial = dir.resolve(target.getFileName() + ".partial");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                copied++;
            }
        }
        return copied > 0 ? ExitCodes.OK : ExitCodes.STARTUP_FAILED;
    }

    private static List<String> resources() {
        return List.of(
                "META-INF/native/" + System.mapLibraryName("netty_transport_native_epoll_"
                        + PlatformDependent.normalizedArch()),
                "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("jnidispatch"),
                Environment.getJniLibraryFileName("rocksdb"));
    }
}
