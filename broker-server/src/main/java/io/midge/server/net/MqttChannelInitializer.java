package io.midge.server.net;

import io.midge.server.codec.MqttDecoder;
import io.midge.server.codec.MqttEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline of a plain MQTT-over-TCP connection: bytes → packets → protocol state machine;
 * and the listener's {@code max_connections}, enforced at accept time as mosquitto does.
 */
final class MqttChannelInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger("midge");

    private final BrokerServices broker;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();

    /** @param maxConnections the listener's limit, negative for none */
    MqttChannelInitializer(BrokerServices broker, int maxConnections) {
        this.broker = broker;
        this.maxConnections = maxConnections;
    }

    @Override
    protected void initChannel(Channel channel) {
        if (maxConnections >= 0 && open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            log.info("Client connection from {} denied: max_connections exceeded.", channel.remoteAddress());
            channel.close();
            return;
        }
        if (maxConnections >= 0) {
            channel.closeFuture().addListener(f -> open.decrementAndGet());
        }
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        channel.pipeline()
                .addLast("decoder", new MqttDecoder(broker.settings().maxPacketBytes()))
                .addLast("encoder", MqttEncoder.INSTANCE)
                .addLast("mqtt", new MqttConnection(broker));
    }
}
