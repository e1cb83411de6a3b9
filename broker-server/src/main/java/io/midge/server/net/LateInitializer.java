package io.midge.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;

/**
 * The child handler a listener is bound with before the broker's services exist (the store is
 * opened only after binding, once {@code user} took effect). Accepting starts after
 * {@link #become}, so no connection ever meets it unset. Each connection joins {@code clients},
 * which shutdown closes.
 */
@ChannelHandler.Sharable
final class LateInitializer extends ChannelInitializer<Channel> {

    private final ChannelGroup clients;
    private volatile ChannelHandler target;

    LateInitializer(ChannelGroup clients) {
        this.clients = clients;
    }

    void become(ChannelHandler target) {
        this.target = target;
    }

    @Override
    protected void initChannel(Channel channel) {
        clients.add(channel);
        channel.pipeline().addLast(target);
    }
}
