package io.midge.core.auth;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reading and tokenising the line-based files mosquitto uses for security. */
final class AuthFiles {

    private AuthFiles() {
    }

    /** The file's lines, as UTF-8 like the user names and topics they hold on the wire. */
    static List<String> readLines(Path file) throws AuthFileException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AuthFileException(file + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new AuthFileException(file + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw new AuthFileException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * {@code s} without the leading and trailing characters C's {@code isspace} accepts, which is
     * what mosquitto trims (String.trim would also eat other control characters).
     */
    static String trimBlanks(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Whether the line carries nothing: blank, or a comment starting with {@code #}. */
    static boolean isBlankOrComment(String line) {
        String trimmed = trimBlanks(line);
        return trimmed.isEmpty() || trimmed.charAt(0) == '#';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
