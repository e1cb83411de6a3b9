package io.midge.server.config;

/** Transport spoken on a listener ({@code protocol} option). */
public enum ListenerProtocol {
    /** Plain MQTT over TCP (the default). */
    MQTT,
    /** MQTT over WebSockets. */
    WEBSOCKETS,
    /** Midge only: metrics, the JSON API and the dashboard over HTTP; no MQTT. */
    HTTP
}
