package io.midge.server.net;

import io.midge.core.protocol.ProtocolContext;

/**
 * What all connections of one listener share, behind one reference: an {@link MqttConnection}
 * holds this rather than each part, as every idle connection pays for each field it has.
 */
record ListenerConnections(ProtocolContext protocolContext, ConnectionSettings settings, ConnectCheck connectCheck) {}
