package io.midge.core.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Replaces a password file in one step, so the broker (which may reload it at any moment) sees
 * the old file or the new one, never half of one: the lines go to a temporary file next to it,
 * which is then renamed over it.
 *
 * <p>A new file is created 0600: it holds password hashes. An existing one keeps its mode,
 * owner and group as far as this process may set them, as mosquitto_passwd's in-place rewrite
 * does; a setup such as {@code 0640 root:mosquitto} keeps working. A symbolic link is followed
 * and its target replaced.
 */
public final class PasswordFileWriter {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PasswordFileWriter() {
    }

    public static void write(Path file, List<String> lines) throws IOException {
        Path target = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
        Path temporary = createSibling(target);
        try {
            writeAndSync(temporary, lines);
            if (Files.exists(target)) {
                copyOwnershipAndMode(target, temporary);
            }
            moveOver(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Path createSibling(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        boolean posix = Files.getFileStore(target.getParent()).supportsFileAttributeView(PosixFileAttributeView.class);
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        return Files.createTempFile(target.getParent(), prefix, ".tmp", ownerOnly);
    }

    private static void writeAndSync(Path file, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            // on disk before the rename makes it the password file, or a crash could leave it empty
            channel.force(true);
        }
    }

    /** Best effort: an ordinary user can set the mode but not give the file to someone else. */
    private static void copyOwnershipAndMode(Path from, Path to) {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        try {
            PosixFileAttributes original = Files.readAttributes(from, PosixFileAttributes.class);
            view.setPermissions(original.permissions());
            trySet(() -> view.setGroup(original.group()));
            trySet(() -> view.setOwner(original.owner()));
        } catch (IOException | UnsupportedOperationException e) {
            // keep 0600 and this process as owner: safe, if less convenient
        }
    }

    private interface AttributeChange {
        void apply() throws IOException;
    }

    private static void trySet(AttributeChange change) {
        try {
            change.apply();
        } catch (IOException e) {
            // not permitted for this user; the file stays ours
        }
    }

    private static void moveOver(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
