package io.midge.server.net;

import io.midge.core.route.Router;
import io.midge.core.session.SessionRegistry;
import io.midge.core.sys.BrokerStats;

/** The broker-wide services every connection talks to; one instance shared by all listeners. */
public record BrokerServices(Router router, SessionRegistry sessions, BrokerStats stats, ConnectionSettings settings) {}
