package io.midge.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * The child handler a listener is bound with before the broker's services exist (the store is
 * opened only after binding, once {@code user} took effect). Accepting starts after
 * {@link #become}, so no connection ever meets it unset. Shutdown finds the connections through
 * their loops' {@link KeepAliveSweeper}s.
 */
@ChannelHandler.Sharable
final class LateInitializer extends ChannelInitializer<Channel> {

    private volatile ChannelHandler target;

    void become(ChannelHandler target) {
        this.target = target;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline().addLast(target);
    }
}
