package io.midge.server.log;

import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * mosquitto has two levels where Logback has INFO: notice (connections, the usual case here) and
 * information (start, stop, reload). The lines mosquitto logs as information carry this marker,
 * which {@code log_dest topic} turns into {@code $SYS/broker/log/I} rather than {@code .../N}.
 */
public final class LogMarkers {

    public static final Marker INFORMATION = MarkerFactory.getMarker("INFORMATION");

    private LogMarkers() {}
}
