package io.midge.server.net;

import io.midge.core.auth.AuthFileException;
import io.midge.core.auth.AllowAllAuthorizer;
import io.midge.core.message.MessageIds;
import io.midge.core.route.DurableRetainedStore;
import io.midge.core.route.MemoryRetainedStore;
import io.midge.core.route.RetainedStore;
import io.midge.core.route.Router;
import io.midge.core.session.ClientConnection;
import io.midge.core.session.MemoryBudget;
import io.midge.core.session.Session;
import io.midge.core.store.BrokerStore;
import io.midge.core.store.RocksStore;
import io.midge.core.store.StoreContents;
import io.midge.core.store.StoreException;
import io.midge.core.store.StoredSession;
import io.midge.core.store.StoreContentsWriter;
import io.midge.core.store.StoreCounts;
import io.midge.core.store.mosquitto.MosquittoImport;
import io.midge.core.message.Message;
import io.midge.core.session.SessionLimits;
import io.midge.core.session.SessionRegistry;
import io.midge.core.sys.BrokerStats;
import io.midge.core.sys.SysPublisher;
import io.midge.server.bridge.Bridges;
import io.midge.server.cli.ExitCodes;
import io.midge.server.cli.MidgeVersion;
import io.midge.server.config.BrokerConfig;
import io.midge.server.config.ListenerConfig;
import io.midge.server.config.ListenerProtocol;
import io.midge.server.http.BrokerMetrics;
import io.midge.server.http.HttpContext;
import io.midge.server.log.LogMarkers;
import io.midge.server.tls.ReloadableTlsContext;
import io.midge.server.tls.TlsSetupException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.CharacterCodingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The running broker: its services, event loops and listening sockets. */
public final class MidgeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("midge");
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long SESSION_EXPIRY_SWEEP_SECONDS = 60;
    private static final CompactRecvBufferSizing RECEIVE_BUFFER_SIZING = new CompactRecvBufferSizing();
    /** mosquitto 2.0's words, when no configuration defines a listener. */
    private static final List<String> LOCAL_ONLY_NOTICE = List.of(
            "Starting in local only mode. Connections will only be possible from clients running on this machine.",
            "Create a configuration file which defines a listener to allow remote access.",
            "For more details see https://mosquitto.org/documentation/authentication-methods/");

    private final BrokerConfig config;
    private final Transport transport = Transport.best();
    private final EventLoopGroup loops;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<ReloadableTlsContext> tlsContexts = new ArrayList<>();
    private final ListenerSecurity security;
    /** Prepared with the listeners, started once the broker serves. */
    private Bridges bridges;
    /** Set by {@link #start}, once the listeners are bound. */
    private BrokerServices services;
    private BrokerStore store = BrokerStore.NONE;
    /** mosquitto's persistence file, read before this start created Midge's store, to be imported into it; else null. */
    private MosquittoImport.Found toImport;
    private final long startedAtMillis = System.currentTimeMillis();
    /** Where HTTP requests that walk the broker's state run; null without a protocol http listener. */
    private ExecutorService httpWorker;
    /** What the HTTP API's reload does; by default what SIGHUP does, the command line makes it SIGHUP itself. */
    private volatile Runnable reload = () -> {
        reloadSecurityFiles();
        reloadTlsContexts();
    };

    /** What runs between binding the listeners and opening the store: giving up root ({@code user}). */
    @FunctionalInterface
    public interface BoundListeners {
        void run() throws StartupException;
    }

    /** Nothing is opened yet: {@link #start} binds, opens the store and starts accepting. */
    public MidgeServer(BrokerConfig config) {
        this.config = config;
        this.loops = transport.newGroup(eventLoopThreads());
        this.security = new ListenerSecurity(config);
    }

    /**
     * Opens the persistent store (with {@code persistence true}) and puts back everything it
     * holds, after the listeners are bound and {@code user} took effect, so that the store's
     * files belong to that user.
     *
     * @throws StartupException if the store cannot be opened or read: the broker must not start
     *                          with data silently missing
     */
    private void openStoreAndServices() throws StartupException {
        this.toImport = mosquittoFileToImport(config);
        this.store = openStore(config);
        DurableRetainedStore durableRetained = store.isPersistent() ? new DurableRetainedStore(store) : null;
        RetainedStore retained = durableRetained != null ? durableRetained : new MemoryRetainedStore();
        Router router = new Router(retained, config.retainAvailable(), config.checkRetainSource(), store);
        SessionLimits limits = new SessionLimits(config.maxInflightMessages(), config.maxQueuedMessages(),
                config.maxQueuedBytes(), config.queueQos0Messages(), config.upgradeOutgoingQos(), config.maxInflightBytes());
        BrokerStats stats = new BrokerStats();
        MemoryBudget memory = MemoryBudget.of(config.memoryLimit(), retained, router::subscriptionCount, stats::connected);
        SessionRegistry sessions = new SessionRegistry(limits, router::discardSubscriptions, Clock.systemUTC(), store, stats,
                memory);
        ConnectionSettings settings = new ConnectionSettings(config.maxKeepalive(), config.allowZeroLengthClientId(),
                config.autoIdPrefix(), config.effectiveMessageSizeLimit(), config.connectionMessages(), config.retainAvailable(),
                CONNECT_TIMEOUT_MILLIS, config.maxInflightMessages() == 0 ? 65535 : Math.min(65535, config.maxInflightMessages()),
                config.maxPacketSize());
        this.services = new BrokerServices(router, sessions, stats, settings);
        if (durableRetained != null) {
            recover(durableRetained);
        }
    }

    /**
     * Switching from mosquitto keeps its data: when Midge has no store yet and mosquitto's
     * persistence file is there, it is read (and left as it is) before anything is created, so a
     * file that does not read stops the start without leaving an empty store behind.
     */
    private static MosquittoImport.Found mosquittoFileToImport(BrokerConfig config) throws StartupException {
        Path file = config.persistenceFilePath();
        if (!config.persistence() || Files.exists(config.storeDirectory()) || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return MosquittoImport.read(file);
        } catch (StoreException e) {
            throw new StartupException("Error: " + sentence(e.getMessage()), ExitCodes.STARTUP_FAILED);
        }
    }

    private static BrokerStore openStore(BrokerConfig config) throws StartupException {
        if (!config.persistence()) {
            return BrokerStore.NONE;
        }
        checkWritable(config.storeDirectory());
        try {
            return RocksStore.open(config.storeSettings(), AllowAllAuthorizer.INSTANCE, MidgeServer::storeFailed);
        } catch (StoreException e) {
            throw new StartupException("Error: " + sentence(e.getMessage()), ExitCodes.STARTUP_FAILED);
        }
    }

    /**
     * The store is opened after {@code user} took effect: one that an earlier run as root (or as
     * another user) left behind is named as such, rather than as a damaged store.
     */
    private static void checkWritable(Path storeDirectory) throws StartupException {
        Path unwritable = null;
        if (!Files.exists(storeDirectory)) {
            Path parent = storeDirectory.toAbsolutePath().getParent();
            if (parent != null && Files.isDirectory(parent) && !Files.isWritable(parent)) {
                unwritable = parent;
            }
        } else if (!Files.isWritable(storeDirectory)) {
            unwritable = storeDirectory;
        } else {
            try (var files = Files.list(storeDirectory)) {
                unwritable = files.filter(file -> !Files.isWritable(file)).findFirst().orElse(null);
            } catch (IOException e) {
                unwritable = storeDirectory;
            }
        }
        if (unwritable != null) {
            throw new StartupException("Error: Unable to open persistence store " + storeDirectory + ": " + unwritable
                    + " is not writable by the user the broker runs as (see the user option); give the directory"
                    + " to that user, e.g. chown -R.", ExitCodes.STARTUP_FAILED);
        }
    }

    /** Writes mosquitto's data into the store this start created; they are then what the broker holds. */
    private StoreContents importMosquitto() {
        StoreCounts counts = StoreContentsWriter.write(store, toImport.contents());
        toImport.notes().forEach(note -> log.warn("Warning: {}", note));
        log.info("Imported mosquitto persistence file {}: {}.", config.persistenceFilePath(), counts);
        return toImport.contents();
    }

    /**
     * A write could not be made durable: acknowledging anything more would break the promise that
     * nothing acknowledged is lost, so the broker stops at once and a supervisor can restart it.
     */
    private static void storeFailed(Throwable cause) {
        log.error("Error: Persistence store failed; stopping so that no message is acknowledged without being safe.");
        Runtime.getRuntime().halt(ExitCodes.STARTUP_FAILED);
    }

    /**
     * Puts back retained messages and persistent sessions, and publishes the wills of clients
     * that were connected when the broker stopped without them disconnecting.
     */
    private void recover(DurableRetainedStore retained) throws StartupException {
        long started = System.nanoTime();
        StoreContents contents;
        try {
            contents = store.load();
        } catch (StoreException e) {
            store.close();
            store = BrokerStore.NONE; // closed once: close() must not close it again
            throw new StartupException("Error: " + sentence(e.getMessage()), ExitCodes.STARTUP_FAILED);
        }
        if (toImport != null) {
            contents = importMosquitto();
        }
        MessageIds.moveBeyond(contents.highestMessageId());
        contents.retained().forEach(retained::restore);
        List<Message> wills = new ArrayList<>();
        for (StoredSession stored : contents.sessions()) {
            Session session = services.sessions().restore(stored, loops.next());
            stored.subscriptions().forEach((filter, qos) -> services.router().restoreSubscription(session, filter, qos));
            if (stored.will() != null) {
                wills.add(stored.will());
            }
        }
        wills.forEach(services.router()::publish);
        log.info("Restored {} retained messages and {} persistent sessions from {} in {} ms.",
                contents.retained().size(), contents.sessions().size(), config.storeDirectory(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * Event loop threads: {@code -Dmidge.threads=N}, else one per core. Not a config file option,
     * so that the same file still works with mosquitto.
     */
    private static int eventLoopThreads() {
        int threads = Integer.getInteger("midge.threads", 0);
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    public BrokerServices services() {
        return services;
    }

    /**
     * Opens every listener, runs {@code bound} (which gives up root), opens the store, then starts
     * accepting on all listeners at once, so that no client is served before every port is open
     * and everything is restored. TLS contexts and password/ACL files are loaded before any socket
     * is bound: the sockets then open within moments of each other, where a TLS set-up between two
     * of them used to take seconds. On failure, {@link #close()} releases what was opened.
     */
    public void start(BoundListeners bound) throws StartupException {
        List<PreparedListener> prepared = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            prepared.add(prepare(listener));
        }
        bridges = Bridges.prepare(config.bridges());
        if (config.isLocalOnly()) {
            LOCAL_ONLY_NOTICE.forEach(log::info);
        }
        for (PreparedListener listener : prepared) {
            openSockets(listener);
        }
        if (listeners.isEmpty()) {
            // Only local only mode gets here; each failure was logged as it happened.
            throw new StartupException(null, ExitCodes.STARTUP_FAILED);
        }
        bound.run();
        openStoreAndServices();
        HttpContext http = httpContext();
        for (PreparedListener listener : prepared) {
            listener.initializer().become(new ListenerInitializer(services, listener.context(), listener.tls(), http));
        }
        for (Channel channel : listeners) {
            channel.config().setAutoRead(true);
        }
        if (config.sysInterval() > 0) {
            SysPublisher sys = new SysPublisher(services.router(), services.sessions(), services.stats(),
                    MidgeVersion.VERSION, System::currentTimeMillis);
            loops.next().scheduleAtFixedRate(sys, 0, config.sysInterval(), TimeUnit.SECONDS);
        }
        config.persistentClientExpiration().ifPresent(expiry -> loops.next().scheduleAtFixedRate(
                () -> services.sessions().expireSessions(expiry.toMillis()),
                SESSION_EXPIRY_SWEEP_SECONDS, SESSION_EXPIRY_SWEEP_SECONDS, TimeUnit.SECONDS));
        bridges.start(services, loops, transport.clientChannel(), config.retainAvailable());
    }

    /** The metrics and what the HTTP listeners serve, made only when there is a protocol http listener. */
    private HttpContext httpContext() {
        if (config.listeners().stream().noneMatch(listener -> listener.protocol() == ListenerProtocol.HTTP)) {
            return null;
        }
        BrokerMetrics metrics = new BrokerMetrics(services.router(), services.sessions(), services.stats(), loops,
                () -> bridges.states(), MidgeVersion.VERSION, () -> (System.currentTimeMillis() - startedAtMillis) / 1000);
        store.observe(metrics.storeObserver());
        httpWorker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "midge-http");
            thread.setDaemon(true);
            return thread;
        });
        return new HttpContext(services, metrics, config.listeners(), MidgeVersion.VERSION, startedAtMillis,
                () -> reload.run(), httpWorker);
    }

    /** What a reload through the HTTP API does instead of the default (the command line raises SIGHUP's event). */
    public void onReloadRequest(Runnable action) {
        this.reload = action;
    }

    /**
     * A listener ready to bind: its sockets, its security and TLS, and the pipeline set-up its
     * sockets share (and so its max_connections count), which exists once the services do.
     */
    private record PreparedListener(ListenerConfig config, List<ListenSocket> sockets, ListenerContext context,
                                    ReloadableTlsContext tls, LateInitializer initializer) {}

    private PreparedListener prepare(ListenerConfig listener) throws StartupException {
        ReloadableTlsContext tls = null;
        if (listener.isTls()) {
            try {
                tls = ReloadableTlsContext.load(listener);
                tlsContexts.add(tls);
            } catch (TlsSetupException e) {
                throw new StartupException("Error: " + sentence(e.getMessage()), ExitCodes.STARTUP_FAILED);
            }
        }
        ListenerContext context;
        try {
            context = security.contextFor(listener);
        } catch (AuthFileException e) {
            throw new StartupException("Error: " + sentence(e.getMessage()), exitCodeFor(e));
        }
        List<ListenSocket> sockets = ListenSockets.of(listener, transport.canBindIpv6Only());
        return new PreparedListener(listener, sockets, context, tls, new LateInitializer());
    }

    /** As mosquitto: a file that cannot be opened is MOSQ_ERR_UNKNOWN, one that does not parse MOSQ_ERR_INVAL. */
    private static int exitCodeFor(AuthFileException e) {
        boolean unreadable = e.getCause() instanceof IOException && !(e.getCause() instanceof CharacterCodingException);
        return unreadable ? ExitCodes.FILE_UNREADABLE : ExitCodes.INVALID;
    }

    /**
     * Binds the listener's sockets, each announced as mosquitto does before it tries. As in
     * mosquitto, a socket of an address family the host lacks (IPv6 disabled, say) is a warning,
     * as long as the listener gets some socket; in local only mode a loopback address that
     * cannot be bound is only logged too.
     */
    private void openSockets(PreparedListener listener) throws StartupException {
        int opened = 0;
        for (ListenSocket socket : listener.sockets()) {
            log.info(LogMarkers.INFORMATION, "Opening {} listen socket on port {}.", socket.kind(), socket.address().getPort());
            ChannelFuture bound = bind(socket, listener.initializer());
            if (bound.isSuccess()) {
                listeners.add(bound.channel());
                opened++;
                continue;
            }
            String failure = SystemErrors.strerror(bound.cause()) + " (" + socket.describe() + ").";
            // Netty reports a failed socket() as a ChannelException, a failed bind() as an IOException.
            if (bound.cause() instanceof ChannelException) {
                log.warn("Warning: {}", failure);
            } else if (listener.config().localOnly()) {
                log.error("Error: {}", failure);
            } else {
                throw new StartupException("Error: " + failure, ExitCodes.STARTUP_FAILED);
            }
        }
        if (opened == 0 && !listener.config().localOnly()) {
            throw new StartupException("Error: No socket could be opened for the listener on port "
                    + listener.config().port() + ".", ExitCodes.STARTUP_FAILED);
        }
    }

    private ChannelFuture bind(ListenSocket socket, LateInitializer initializer) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                // Accepting starts once every listener is bound.
                .option(ChannelOption.AUTO_READ, false)
                // One allocator for all connections (each still gets its own small handle): the
                // default is an allocator object per channel, which idle connections pay for.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFER_SIZING)
                .childHandler(initializer);
        transport.configure(bootstrap, socket);
        return bootstrap.bind(socket.address()).awaitUninterruptibly();
    }

    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    /**
     * SIGHUP: re-read password and ACL files. Connections stay, but those whose credentials the
     * new password file refuses, as in mosquitto.
     */
    public void reloadSecurityFiles() {
        security.reload();
        services.sessions().forEachConnected(ClientConnection::recheckCredentials);
    }

    /**
     * SIGHUP: rebuilds each TLS listener's context from its files; new connections get the new
     * certificate. Files that do not make a context are reported and the old context kept.
     */
    public void reloadTlsContexts() {
        for (ReloadableTlsContext tls : tlsContexts) {
            try {
                tls.reload();
            } catch (TlsSetupException e) {
                log.error("Error: {} Keeping the previous certificate for the listener on port {}.",
                        sentence(e.getMessage()), tls.listener().port());
            }
        }
    }

    /**
     * SIGTERM, as mosquitto: stop accepting; close every connection, which publishes the wills of
     * clients that did not disconnect (mosquitto sends every will at shutdown) and hands their
     * sessions back; let the loops pass on what that produced; then close the store while the
     * loops still run, so that every write finishes and its completion still has a loop to run
     * on; then stop the loops.
     */
    @Override
    public void close() {
        for (Channel channel : listeners) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        if (bridges != null) {
            bridges.close();
        }
        closeConnections();
        if (httpWorker != null) {
            httpWorker.shutdownNow();
        }
        settleLoops();
        store.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** Closes every client connection on its loop, and waits up to 2 s for them to close (TLS says goodbye first). */
    private void closeConnections() {
        List<Future<List<Future<?>>>> perLoop = new ArrayList<>();
        loops.forEach(loop -> perLoop.add(loop.submit(() -> KeepAliveSweeper.of(loop).closeAll())));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Future<List<Future<?>>> loopClosing : perLoop) {
            if (loopClosing.awaitUninterruptibly(remainingMillis(deadline)) && loopClosing.isSuccess()) {
                loopClosing.getNow().forEach(closing -> closing.awaitUninterruptibly(remainingMillis(deadline)));
            }
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** Runs an empty task through every loop, twice: what one loop hands to another arrives too. */
    private void settleLoops() {
        for (int pass = 0; pass < 2; pass++) {
            List<Future<?>> passes = new ArrayList<>();
            loops.forEach(loop -> passes.add(loop.submit(() -> { })));
            passes.forEach(done -> done.awaitUninterruptibly(1, TimeUnit.SECONDS));
        }
    }
}
