package io.midge.server.net;

import io.midge.server.codec.MqttPacket;
import io.midge.server.codec.MqttPacket.Ack;
import io.midge.server.codec.MqttPacket.ConnAck;
import io.midge.server.codec.MqttPacket.Connect;
import io.midge.server.codec.MqttPacket.Publish;
import io.midge.server.codec.MqttPacket.SubAck;
import io.midge.server.codec.MqttPacket.Subscribe;
import io.midge.server.codec.MqttPacket.Unsubscribe;
import org.slf4j.Logger;

/** The per-packet debug lines of {@code -v}, worded like mosquitto's. */
final class PacketLog {

    private final Logger log;

    PacketLog(Logger log) {
        this.log = log;
    }

    void received(String from, MqttPacket packet) {
        if (log.isDebugEnabled()) {
            log.debug("Received {} from {}{}", packet.type(), from, details(packet));
        }
    }

    void sent(String to, MqttPacket packet) {
        if (log.isDebugEnabled()) {
            log.debug("Sending {} to {}{}", packet.type(), to, details(packet));
        }
    }

    private static String details(MqttPacket packet) {
        if (packet instanceof Publish p) {
            return " (d" + (p.dup() ? 1 : 0) + ", q" + p.qos() + ", r" + (p.retain() ? 1 : 0) + ", m" + p.packetId()
                    + ", '" + p.topic() + "', ... (" + p.payload().length + " bytes))";
        }
        if (packet instanceof Connect c) {
            return " (p" + c.protocolLevel() + ", c" + (c.cleanSession() ? 1 : 0) + ", k" + c.keepAliveSeconds()
                    + ", id '" + c.clientId() + "')";
        }
        if (packet instanceof ConnAck c) {
            return " (" + (c.sessionPresent() ? 1 : 0) + ", " + c.returnCode() + ")";
        }
        if (packet instanceof Ack a) {
            return " (Mid: " + a.packetId() + ")";
        }
        if (packet instanceof Subscribe s) {
            StringBuilder sb = new StringBuilder(" (Mid: " + s.packetId() + ")");
            s.subscriptions().forEach(t -> sb.append(" '").append(t.filter()).append("' (QoS ").append(t.qos()).append(')'));
            return sb.toString();
        }
        if (packet instanceof Unsubscribe u) {
            return " (Mid: " + u.packetId() + ") " + u.filters();
        }
        if (packet instanceof SubAck s) {
            return " (Mid: " + s.packetId() + ")";
        }
        return "";
    }
}
