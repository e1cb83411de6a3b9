package io.midge.server.config;

/**
 * Categories of log messages ({@code log_type} option). The configuration keywords {@code none}
 * and {@code all} are not categories: they clear or fill the whole set.
 */
public enum LogType {
    DEBUG,
    ERROR,
    WARNING,
    NOTICE,
    INFORMATION,
    SUBSCRIBE,
    UNSUBSCRIBE,
    WEBSOCKETS
}
