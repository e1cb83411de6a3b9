package io.midge.server.net;

import io.midge.server.codec.MqttDecoder;
import io.midge.server.codec.MqttEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;

/** The pipeline of a plain MQTT-over-TCP connection: bytes → packets → protocol state machine. */
final class MqttChannelInitializer extends ChannelInitializer<Channel> {

    private final BrokerServices broker;
    private final MqttEncoder encoder = MqttEncoder.INSTANCE;

    MqttChannelInitializer(BrokerServices broker) {
        this.broker = broker;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        channel.pipeline()
                .addLast("decoder", new MqttDecoder(broker.settings().maxPacketBytes()))
                .addLast("encoder", encoder)
                .addLast("mqtt", new MqttConnection(broker));
    }
}
