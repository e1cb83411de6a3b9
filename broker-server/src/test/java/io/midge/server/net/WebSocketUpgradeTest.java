package io.midge.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.midge.server.codec.MqttDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An upgrade request whose target is no path reached the MQTT handler (a ClassCastException, logged with its stack); now it gets a 400. */
class WebSocketUpgradeTest {

    @ParameterizedTest
    @ValueSource(strings = {"*", "http://localhost/mqtt", "mqtt"})
    void aRequestTargetThatIsNoPathIsAnswered400AndClosed(String target) {
        EmbeddedChannel channel = new EmbeddedChannel();
        ListenerInitializer.addWebSocketCodec(channel.pipeline(), 1024);
        Object[] reached = new Object[1];
        channel.pipeline().addLast(new MqttDecoder(1024, 1024), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                reached[0] = msg.getClass().getName();
                ReferenceCountUtil.release(msg);
            }
        });
        ByteBuf request = Unpooled.wrappedBuffer(WebSocketFramingFuzzTest.upgradeTo(target));

        channel.writeInbound(request);

        assertNull(reached[0], "reached the MQTT handler");
        ByteBuf response = channel.readOutbound();
        assertEquals("HTTP/1.1 400 Bad Request", response.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse(""));
        response.release();
        assertFalse(channel.isOpen());
        assertEquals(0, request.refCnt());
    }
}
