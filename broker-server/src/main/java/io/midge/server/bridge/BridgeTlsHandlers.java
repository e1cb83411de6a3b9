package io.midge.server.bridge;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

/** Makes the TLS handler of one connection to a bridge's remote broker. */
@FunctionalInterface
interface BridgeTlsHandlers {

    SslHandler newHandler(ByteBufAllocator alloc, String host, int port);
}
