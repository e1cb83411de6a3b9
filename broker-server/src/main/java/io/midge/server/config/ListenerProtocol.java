package io.midge.server.config;

/** Transport spoken on a listener ({@code protocol} option). */
public enum ListenerProtocol {
    /** Plain MQTT over TCP (the default). */
    MQTT,
    /** MQTT over WebSockets. */
    WEBSOCKETS
}
