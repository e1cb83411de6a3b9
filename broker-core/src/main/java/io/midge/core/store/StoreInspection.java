package io.midge.core.store;

import io.midge.core.auth.AllowAllAuthorizer;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code midge store check} and {@code midge store salvage}: looks into a store without
 * changing it, and rescues what can still be read from a damaged one into a fresh store.
 */
public final class StoreInspection {

    static {
        RocksDB.loadLibrary();
    }

    /**
     * What a store holds.
     *
     * @param damaged what could not be read, one line each; empty for a sound store
     */
    public record Report(StoreCounts counts, List<String> damaged) {
        public boolean isClean() {
            return damaged.isEmpty();
        }
    }

    /**
     * What a salvage recovered.
     *
     * @param damagedFiles whether RocksDB's own files (log or tables) were damaged, not only records
     * @param lost     what could not be recovered, one line each
     */
    public record Salvage(StoreCounts recovered, List<String> lost, boolean damagedFiles) {}

    private StoreInspection() {}

    /**
     * Opens the store in {@code directory} read-only (its files are not touched, not even
     * RocksDB's info log), verifies the checksums of its table files and decodes every record.
     *
     * @throws StoreException naming the directory, if there is no store or it cannot be opened at all
     */
    public static Report check(Path directory) throws StoreException {
        requireStore(directory);
        Path logDir = temporaryDirectory(directory, "midge-check-log");
        try (Options options = readOnlyOptions(logDir)) {
            RocksDB db = openReadOnly(options, directory);
            try {
                List<String> damaged = new ArrayList<>();
                try {
                    db.verifyChecksum();
                } catch (RocksDBException e) {
                    damaged.add("table files fail their checksums: " + e.getMessage());
                }
                StoreReader.Result result = new StoreReader(db, directory, AllowAllAuthorizer.INSTANCE).read(true);
                damaged.addAll(result.damaged());
                return new Report(StoreCounts.of(result.contents()), damaged);
            } finally {
                db.close();
            }
        } finally {
            deleteTree(logDir);
        }
    }

    /**
     * Copies the store in {@code directory} aside, reads every record RocksDB can still read
     * from the copy, and writes those that decode into a new store in {@code output}. The
     * original is only read.
     *
     * @throws StoreException if {@code output} exists and is not empty, or the copy cannot be opened at all
     */
    public static Salvage salvage(Path directory, Path output) throws StoreException {
        requireStore(directory);
        requireEmpty(output);
        Path work = temporaryDirectory(directory, "midge-salvage");
        try {
            Path copy = work.resolve("copy");
            copyTree(directory, copy);
            Path rescued = work.resolve("rescued");
            StoreRescue.Result rescue = StoreRescue.rescue(copy, rescued);
            List<String> lost = new ArrayList<>();
            // The damage is the original's; name its files, not the copy's.
            rescue.lost().forEach(line -> lost.add(line.replace(copy.toString(), directory.toString())));
            StoreContents contents = readRescued(rescued, lost);
            return new Salvage(StoreContentsWriter.writeNewStore(output, contents), lost, rescue.damagedFiles());
        } finally {
            deleteTree(work);
        }
    }

    private static StoreContents readRescued(Path rescued, List<String> lost) throws StoreException {
        try (Options options = RocksStore.options().setCreateIfMissing(false)) {
            RocksDB db = open(options, rescued);
            try {
                StoreReader.Result result = new StoreReader(db, rescued, AllowAllAuthorizer.INSTANCE).read(true);
                lost.addAll(result.damaged());
                return result.contents();
            } finally {
                db.close();
            }
        }
    }

    private static Options readOnlyOptions(Path logDir) {
        // RocksDB writes its info log beside the data unless told otherwise; a check must change nothing.
        return RocksStore.options().setCreateIfMissing(false).setDbLogDir(logDir.toString());
    }

    private static RocksDB openReadOnly(Options options, Path directory) throws StoreException {
        try {
            return RocksDB.openReadOnly(options, directory.toString());
        } catch (RocksDBException e) {
            throw new StoreException("Unable to open persistence store " + directory + ": " + e.getMessage(), e);
        }
    }

    private static RocksDB open(Options options, Path directory) throws StoreException {
        try {
            return RocksDB.open(options, directory.toString());
        } catch (RocksDBException e) {
            throw new StoreException("Unable to open persistence store " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void requireStore(Path directory) throws StoreException {
        if (!Files.isRegularFile(directory.resolve("CURRENT"))) {
            throw new StoreException("No persistence store in " + directory + " (it has no CURRENT file)");
        }
    }

    private static void requireEmpty(Path output) throws StoreException {
        if (!Files.exists(output)) {
            return;
        }
        try (Stream<Path> entries = Files.list(output)) {
            if (entries.findAny().isPresent()) {
                throw new StoreException("Output directory " + output + " is not empty; salvage writes a new store only");
            }
        } catch (IOException e) {
            throw new StoreException("Unable to use output directory " + output + ": " + e.getMessage(), e);
        }
    }

    /** Beside the store when possible, so a large copy stays on the same file system. */
    private static Path temporaryDirectory(Path near, String prefix) throws StoreException {
        Path parent = near.toAbsolutePath().getParent();
        try {
            return parent != null && Files.isWritable(parent)
                    ? Files.createTempDirectory(parent, "." + prefix)
                    : Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new StoreException("Unable to create a temporary directory: " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to) throws StoreException {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new StoreException("Unable to copy persistence store " + from + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary directory is untidy, not harmful.
        }
    }
}
