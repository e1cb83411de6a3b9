package io.midge.core.store;

import io.midge.core.message.Message;

/**
 * A message queued or in flight to a persistent session.
 *
 * @param packetId 0 unless it was sent at QoS 2 (then a resend keeps the id)
 * @param released whether its PUBREC arrived, so that only PUBREL is resent
 */
public record StoredOutbound(Message message, int qos, boolean retain, int packetId, boolean released) {}
