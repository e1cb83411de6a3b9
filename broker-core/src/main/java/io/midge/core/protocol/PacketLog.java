package io.midge.core.protocol;

import io.midge.core.packet.MqttPacket;
import io.midge.core.packet.MqttPacket.Ack;
import io.midge.core.packet.MqttPacket.ConnAck;
import io.midge.core.packet.MqttPacket.Publish;
import io.midge.core.message.Message;
import org.slf4j.Logger;

/**
 * The per-packet debug lines of {@code -v} ({@code log_type debug}), worded exactly as
 * mosquitto 2.0's, which scripts and people compare against. Like mosquitto, a CONNECT is not
 * logged when received (the connection's "New client connected" line says it all), and a
 * PUBLISH is logged by the connection once it knows whether it was dropped or denied.
 */
final class PacketLog {

    private final Logger log;

    PacketLog(Logger log) {
        this.log = log;
    }

    boolean enabled() {
        return log.isDebugEnabled();
    }

    void received(String from, MqttPacket packet) {
        if (!log.isDebugEnabled()) {
            return;
        }
        switch (packet.type()) {
            case PUBACK, PUBCOMP -> log.debug("Received {} from {} (Mid: {}, RC:0)", packet.type(), from, ((Ack) packet).packetId());
            case PUBREC, PUBREL -> log.debug("Received {} from {} (Mid: {})", packet.type(), from, ((Ack) packet).packetId());
            case SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT -> log.debug("Received {} from {}", packet.type(), from);
            default -> { } // CONNECT and PUBLISH: see the class comment
        }
    }

    /** A PUBLISH as mosquitto describes it, after {@code verb}: "Received", "Denied", "Dropped too large". */
    void publish(String verb, String from, boolean dup, int qos, boolean retain, int packetId, String topic, int bytes) {
        if (log.isDebugEnabled()) {
            log.debug("{} PUBLISH from {} (d{}, q{}, r{}, m{}, '{}', ... ({} bytes))", verb, from, dup ? 1 : 0, qos,
                    retain ? 1 : 0, packetId, topic, bytes);
        }
    }

    void sent(String to, MqttPacket packet) {
        if (!log.isDebugEnabled()) {
            return;
        }
        switch (packet.type()) {
            case CONNACK -> {
                ConnAck c = (ConnAck) packet;
                log.debug("Sending CONNACK to {} ({}, {})", to, c.sessionPresent() ? 1 : 0, c.returnCode());
            }
            case PUBLISH -> {
                Publish p = (Publish) packet;
                log.debug("Sending PUBLISH to {} (d{}, q{}, r{}, m{}, '{}', ... ({} bytes))", to, p.dup() ? 1 : 0, p.qos(),
                        p.retain() ? 1 : 0, p.packetId(), p.topic(), p.payload().length);
            }
            case PUBACK, PUBREC -> log.debug("Sending {} to {} (m{}, rc0)", packet.type(), to, ((Ack) packet).packetId());
            case PUBREL, PUBCOMP -> log.debug("Sending {} to {} (m{})", packet.type(), to, ((Ack) packet).packetId());
            default -> log.debug("Sending {} to {}", packet.type(), to);
        }
    }

    /** The will line of a new connection, as mosquitto logs it after "New client connected". */
    void will(Message will) {
        if (!log.isDebugEnabled()) {
            return;
        }
        if (will == null) {
            log.debug("No will message specified.");
        } else {
            log.debug("Will message specified ({} bytes) (r{}, q{}).", will.payload().length, will.retain() ? 1 : 0, will.qos());
            log.debug("\t{}", will.topic());
        }
    }

    /** mosquitto prints each filter of a SUBSCRIBE or UNSUBSCRIBE on a line of its own. */
    void filter(String filter, int qos) {
        if (log.isDebugEnabled()) {
            log.debug(qos < 0 ? "\t{}" : "\t{} (QoS {})", filter, qos);
        }
    }
}
