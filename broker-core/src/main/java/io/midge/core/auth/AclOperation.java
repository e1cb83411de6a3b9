package io.midge.core.auth;

/** What a client wants to do with a topic. */
enum AclOperation {
    /** Receive messages published to it. */
    READ,
    /** Publish to it. */
    WRITE
}
