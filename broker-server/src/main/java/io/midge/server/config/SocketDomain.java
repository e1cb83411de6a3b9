package io.midge.server.config;

/**
 * Address family a listener is restricted to ({@code socket_domain} option). A listener without
 * a socket domain listens on both families.
 */
public enum SocketDomain {
    /** IPv4 only. */
    IPV4,
    /** IPv6 only. */
    IPV6
}
