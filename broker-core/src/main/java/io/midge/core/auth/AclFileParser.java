package io.midge.core.auth;

import io.midge.core.topic.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the lines of an ACL file into an {@link AclFile}; syntax as described there. */
final class AclFileParser {

    private final Path file;
    private final List<AclRule> anonymousRules = new ArrayList<>();
    private final Map<String, List<AclRule>> userRules = new LinkedHashMap<>();
    private final List<AclRule> patterns = new ArrayList<>();
    /** The user whose section the next topic lines belong to; null before the first. */
    private String currentUser;

    private AclFileParser(Path file) {
        this.file = file;
    }

    static AclFile parse(Path file, List<String> lines) throws AuthFileException {
        AclFileParser parser = new AclFileParser(file);
        for (int i = 0; i < lines.size(); i++) {
            try {
                parser.parseLine(lines.get(i));
            } catch (IllegalArgumentException e) {
                throw AuthFileException.atLine(file, i + 1, e.getMessage());
            }
        }
        return new AclFile(parser.anonymousRules, parser.userRules, parser.patterns);
    }

    private void parseLine(String rawLine) {
        if (AuthFiles.isBlankOrComment(rawLine)) {
            return;
        }
        String line = AuthFiles.trimBlanks(rawLine);
        String keyword = firstWord(line);
        String rest = afterFirstWord(line);
        switch (keyword) {
            case "topic" -> currentSection().add(parseRule(rest));
            case "pattern" -> patterns.add(parseRule(rest));
            case "user" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("missing username after 'user'");
                }
                currentUser = rest;
            }
            default -> throw new IllegalArgumentException(
                    "unknown keyword '" + keyword + "' (expected topic, pattern or user)");
        }
    }

    /** "[ACCESS] FILTER", where a single word is the filter. */
    private AclRule parseRule(String accessAndFilter) {
        if (accessAndFilter.isEmpty()) {
            throw new IllegalArgumentException("missing topic filter");
        }
        String first = firstWord(accessAndFilter);
        String rest = afterFirstWord(accessAndFilter);
        if (rest.isEmpty()) {
            return new AclRule(AclAccess.READWRITE, checkedFilter(first));
        }
        AclAccess access = AclAccess.ofKeyword(first).orElseThrow(() -> new IllegalArgumentException(
                "invalid access '" + first + "' (expected read, write, readwrite or deny)"));
        return new AclRule(access, checkedFilter(rest));
    }

    private List<AclRule> currentSection() {
        return currentUser == null ? anonymousRules : userRules.computeIfAbsent(currentUser, user -> new ArrayList<>());
    }

    private static String checkedFilter(String filter) {
        if (!Topics.isValidTopicFilter(filter)) {
            throw new IllegalArgumentException("invalid topic filter '" + filter + "'");
        }
        return filter;
    }

    private static String firstWord(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    /** The text after the first word and the spaces following it, trimmed. */
    private static String afterFirstWord(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? "" : AuthFiles.trimBlanks(text.substring(space + 1));
    }
}
