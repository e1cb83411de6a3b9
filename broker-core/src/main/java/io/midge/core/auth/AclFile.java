package io.midge.core.auth;

import io.midge.core.topic.Topics;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rules of a mosquitto {@code acl_file}, with mosquitto 2.0's semantics. Immutable.
 *
 * <h2>Syntax</h2>
 * <pre>
 * # comment
 * topic [read|write|readwrite|deny] FILTER
 * user USERNAME
 * pattern [read|write|readwrite|deny] FILTER
 * </pre>
 * Without an access word a line grants readwrite. FILTER is the rest of the line, so it may
 * contain spaces; a line with a single word after {@code topic} takes that word as the filter
 * ({@code topic read} grants readwrite on the topic "read"). {@code user} starts the section of
 * that user name (the rest of the line); {@code topic} lines before the first {@code user} line
 * form the section of anonymous clients. {@code pattern} lines apply to every client wherever
 * they stand, with {@code %c} replaced by the client id and {@code %u} by the user name. Words
 * are separated by spaces, as mosquitto's tokenizer does; blanks around a line are ignored (more
 * lenient than mosquitto, which refuses an indented line).
 *
 * <h2>Checking a topic</h2>
 * Exactly the order of mosquitto 2.0's {@code mosquitto_acl_check_default}:
 * <ol>
 *   <li>The client's section: its user's, or the anonymous one when it has no user name. A
 *       matching {@code deny} refuses; otherwise a matching grant of the wanted access
 *       allows.</li>
 *   <li>If patterns exist, a client id or user name containing '+' or '#' is refused, as it
 *       could widen a pattern.</li>
 *   <li>The patterns, the same way: {@code deny} first, then grants. Patterns naming
 *       {@code %u} are skipped for anonymous clients.</li>
 *   <li>Nothing matched: refused. An ACL file grants nothing it does not say, so an empty one
 *       refuses everything.</li>
 * </ol>
 * So {@code deny} outranks grants within the section and within the patterns, but a grant in
 * the client's section is decided before any pattern is looked at. A filter starting with a
 * wildcard does not match a topic starting with '$' ({@link Topics#matches}), so
 * {@code topic read #} does not open {@code $SYS}: only rules naming {@code $SYS/...} do.
 *
 * <h2>Subscribing</h2>
 * mosquitto 2.0 does not check SUBSCRIBE against the ACL file at all and only filters on
 * delivery. Midge filters on delivery too, and also refuses (SUBACK 0x80) a filter that could
 * never deliver anything: one that no read grant overlaps, or that a {@code deny} rule covers
 * entirely. So {@code #} is still granted to a client that may read only {@code sensors/#}, and
 * gets just those messages.
 */
public final class AclFile implements Authorizer {

    /** Denials first, so one found anywhere wins. The sort is stable: grants keep file order. */
    private static final Comparator<AclRule> DENY_FIRST = Comparator.comparing(rule -> !rule.isDeny());

    private enum Verdict { ALLOW, DENY, UNDECIDED }

    private final List<AclRule> anonymousRules;
    private final Map<String, List<AclRule>> userRules;
    private final List<AclRule> patterns;

    AclFile(List<AclRule> anonymousRules, Map<String, List<AclRule>> userRules, List<AclRule> patterns) {
        this.anonymousRules = denyFirst(anonymousRules);
        this.userRules = userRules.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> denyFirst(e.getValue())));
        this.patterns = denyFirst(patterns);
    }

    /** Reads and parses {@code file}; fails naming the file and line of the first bad line. */
    public static AclFile load(Path file) throws AuthFileException {
        return AclFileParser.parse(file, AuthFiles.readLines(file));
    }

    @Override
    public boolean canRead(String clientId, String username, String topic) {
        return permits(AclOperation.READ, clientId, username, topic);
    }

    @Override
    public boolean canWrite(String clientId, String username, String topic) {
        return permits(AclOperation.WRITE, clientId, username, topic);
    }

    private List<AclRule> sectionOf(String username) {
        return username == null ? anonymousRules : userRules.getOrDefault(username, List.of());
    }

    private static Function<AclRule, String> patternFor(String clientId, String username) {
        return pattern -> pattern.needsUsername() && username == null ? null : pattern.expandFor(clientId, username);
    }

    private boolean permits(AclOperation operation, String clientId, String username, String topic) {
        Verdict verdict = check(sectionOf(username), operation, topic, AclRule::filter);
        if (verdict != Verdict.UNDECIDED) {
            return verdict == Verdict.ALLOW;
        }
        if (patterns.isEmpty() || containsWildcard(clientId) || containsWildcard(username)) {
            return false;
        }
        return check(patterns, operation, topic, patternFor(clientId, username)) == Verdict.ALLOW;
    }

    /** @param filterOf the filter a rule stands for with this client, null if it does not apply */
    private static Verdict check(List<AclRule> rules, AclOperation operation, String topic,
            Function<AclRule, String> filterOf) {
        for (AclRule rule : rules) {
            String filter = filterOf.apply(rule);
            if (filter != null && Topics.matches(filter, topic)) {
                if (rule.isDeny()) {
                    return Verdict.DENY;
                }
                if (rule.access().grants(operation)) {
                    return Verdict.ALLOW;
                }
            }
        }
        return Verdict.UNDECIDED;
    }

    private static boolean containsWildcard(String identity) {
        return identity != null && (identity.indexOf(Topics.SINGLE_LEVEL_WILDCARD) >= 0
                || identity.indexOf(Topics.MULTI_LEVEL_WILDCARD) >= 0);
    }

    private static List<AclRule> denyFirst(List<AclRule> rules) {
        return rules.stream().sorted(DENY_FIRST).toList();
    }
}
