package io.midge.core.protocol;

/**
 * What a {@link ClientProtocol} keeps only for an MQTT 5 client: 3.1/3.1.1 connections, idle
 * ones by the thousand, leave it out. Owned by the connection's event loop.
 */
final class Mqtt5State {
    /** The session expiry interval of CONNECT, in seconds (0xFFFFFFFF: never), as DISCONNECT may change it. */
    long sessionExpirySeconds;
    /** The largest packet the client accepts [MQTT-3.1.2-24]. */
    int clientMaximumPacketSize = Integer.MAX_VALUE;
    /** Null until the client first publishes with a topic alias. */
    InboundTopicAliases inboundAliases;
    /** Null unless the client accepts topic aliases from us. */
    OutboundTopicAliases outboundAliases;
    /** QoS 1 and 2 PUBLISHes from the client not yet answered with PUBACK or PUBCOMP (receive maximum). */
    int inboundUnacknowledged;
    long willDelayMillis;
    /** The will's message expiry interval, or -1 for none. */
    long willExpirySeconds = -1;
    boolean disconnectSent;
    /** Set by the router while routing a PUBLISH that no subscription matched, for the PUBACK's reason code. */
    boolean matchedNobody;
}
