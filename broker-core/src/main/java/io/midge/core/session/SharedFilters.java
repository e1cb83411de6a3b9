package io.midge.core.session;

/** The topic filter within a shared subscription's {@code $share/GROUP/FILTER}. */
final class SharedFilters {

    private static final String PREFIX = "$share/";

    private SharedFilters() {}

    /** @return the filter a subscription matches topics with: FILTER for a share, else the filter itself */
    static String plainFilter(String filter) {
        if (!filter.startsWith(PREFIX)) {
            return filter;
        }
        int slash = filter.indexOf('/', PREFIX.length());
        return slash < 0 ? filter : filter.substring(slash + 1);
    }
}
