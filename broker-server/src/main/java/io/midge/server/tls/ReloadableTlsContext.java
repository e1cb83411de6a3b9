package io.midge.server.tls;

import io.midge.server.config.ListenerConfig;
import io.netty.handler.ssl.SslContext;

import java.util.function.Supplier;

/**
 * A TLS listener's context, which SIGHUP rebuilds from its certfile, keyfile, cafile, capath and
 * crlfile, as mosquitto 2.0 does on reload: connections made afterwards get the new certificate,
 * those already open keep theirs, and files that no longer make a context leave the old one in use.
 */
public final class ReloadableTlsContext implements Supplier<SslContext> {

    private final ListenerConfig listener;
    private volatile SslContext current;

    private ReloadableTlsContext(ListenerConfig listener, SslContext current) {
        this.listener = listener;
        this.current = current;
    }

    public static ReloadableTlsContext load(ListenerConfig listener) throws TlsSetupException {
        return new ReloadableTlsContext(listener, TlsContexts.forListener(listener));
    }

    @Override
    public SslContext get() {
        return current;
    }

    /** @throws TlsSetupException when the files do not make a context; the previous one stays */
    public void reload() throws TlsSetupException {
        current = TlsContexts.forListener(listener);
    }

    public ListenerConfig listener() {
        return listener;
    }
}
