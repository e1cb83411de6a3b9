package io.midge.core.store;

import io.midge.core.auth.Authorizer;
import io.midge.core.message.Message;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.ThreadExecutorMap;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The durable store: RocksDB, written by one thread of its own. Event loops hand it writes
 * through a lock-free queue; the writer applies whatever has gathered as one write batch and,
 * in {@link Durability#FSYNC} mode, syncs it before completing the commits it covers. Many
 * writes thus share one fsync, and no event loop ever waits on the disk.
 *
 * <p>Which outbound entries reference a message is counted on the writer thread (rebuilt from
 * the entries at start-up), so a message stored for many sessions is written once and removed
 * with its last entry.
 */
public final class RocksStore implements BrokerStore {

    private static final Logger log = LoggerFactory.getLogger("midge");
    /** A batch is written once this many operations gathered, even if more are waiting. */
    private static final int MAX_BATCH_OPERATIONS = 8192;
    private static final byte[] SESSION_KINDS =
            {StoreKeys.SESSION, StoreKeys.SUBSCRIPTION, StoreKeys.OUTBOUND, StoreKeys.INBOUND};

    static {
        RocksDB.loadLibrary();
    }

    private final StoreSettings settings;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final Authorizer recoveredAuthorizer;
    private final Consumer<Throwable> onFailure;
    private volatile StoreObserver observer = StoreObserver.NONE;
    private final Queue<StoreOp> queue = PlatformDependent.newMpscQueue();
    private final Map<Long, Integer> references = new HashMap<>();
    private final ThreadLocal<ThreadCommits> threadCommits = ThreadLocal.withInitial(ThreadCommits::new);
    private final Thread writer;
    private final AtomicBoolean writerSleeping = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean failed;
    private boolean loaded;

    /** Per writing thread: whether it wrote since its last commit, and that commit. */
    private static final class ThreadCommits {
        boolean wroteSinceCommit;
        StoreCommit last;
        /** Whether the mark of {@link #last} waits for the end of the event loop's pass. */
        boolean markPending;
        /** While {@link #atomically} runs: the writes gathered for one batch. */
        List<StoreOp> group;
    }

    private RocksStore(StoreSettings settings, Options options, RocksDB db, Authorizer recoveredAuthorizer,
                       Consumer<Throwable> onFailure) {
        this.settings = settings;
        this.options = options;
        this.db = db;
        this.recoveredAuthorizer = recoveredAuthorizer;
        this.onFailure = onFailure;
        this.writeOptions = new WriteOptions()
                .setSync(settings.durability() == Durability.FSYNC)
                .setDisableWAL(settings.durability() == Durability.SNAPSHOT);
        this.writer = new Thread(this::writeLoop, "midge-store");
        this.writer.setDaemon(true);
    }

    /**
     * Opens (creating if missing) the store in {@code settings.directory()}.
     *
     * @param recoveredAuthorizer the rules recovered messages' publishers are checked against (check_retain_source)
     * @param onFailure           called once if a write fails: the broker can no longer keep its promise and must stop
     * @throws StoreException naming the directory, if it cannot be opened
     */
    public static RocksStore open(StoreSettings settings, Authorizer recoveredAuthorizer, Consumer<Throwable> onFailure)
            throws StoreException {
        Path directory = settings.directory();
        try {
            Files.createDirectories(directory);
        } catch (Exception e) {
            throw new StoreException("Unable to create persistence directory " + directory + ": " + e.getMessage(), e);
        }
        Options options = options();
        try {
            RocksDB db = RocksDB.open(options, directory.toString());
            return new RocksStore(settings, options, db, recoveredAuthorizer, onFailure);
        } catch (RocksDBException e) {
            options.close();
            throw new StoreException("Unable to open persistence store " + directory + ": " + e.getMessage()
                    + StoreException.RECOVERY_HINT, e);
        }
    }

    static Options options() {
        return new Options()
                .setCreateIfMissing(true)
                .setParanoidChecks(true)
                // A torn last record is what a crash leaves of a write never acknowledged; any
                // other damage must stop the start rather than silently lose what follows it.
                .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2)
                // Small enough for a Raspberry Pi; messages are short-lived, most never reach a table file.
                .setWriteBufferSize(16L << 20)
                .setMaxWriteBufferNumber(3)
                .setCompressionType(CompressionType.NO_COMPRESSION);
    }

    public Path directory() {
        return settings.directory();
    }

    @Override
    public boolean isPersistent() {
        return true;
    }

    // ---- writes: any thread ----

    @Override public void putRetained(Message message) { submit(new StoreOp.PutRetained(message)); }
    @Override public void removeRetained(String topic) { submit(new StoreOp.RemoveRetained(topic)); }

    @Override
    public void putSession(String clientId, long incarnation, long disconnectedAtMillis, Message will, long expiryMillis) {
        submit(new StoreOp.PutSession(clientId, incarnation, disconnectedAtMillis, will, expiryMillis));
    }

    @Override
    public void removeSession(String clientId, long[] heldMessageIds) {
        submit(new StoreOp.RemoveSession(clientId, heldMessageIds));
    }

    @Override
    public void putSubscription(String clientId, String filter, int options) {
        submit(new StoreOp.PutSubscription(clientId, filter, options));
    }

    @Override
    public void removeSubscription(String clientId, String filter) {
        submit(new StoreOp.RemoveSubscription(clientId, filter));
    }

    @Override
    public void putOutbound(String clientId, long incarnation, Message message, int qos, boolean retain) {
        submit(new StoreOp.PutOutbound(clientId, incarnation, message, qos, retain, 0, false, true));
    }

    @Override
    public void updateOutbound(String clientId, long incarnation, Message message, int qos, boolean retain,
                               int packetId, boolean released) {
        submit(new StoreOp.PutOutbound(clientId, incarnation, message, qos, retain, packetId, released, false));
    }

    @Override
    public void removeOutbound(String clientId, long messageId) {
        submit(new StoreOp.RemoveOutbound(clientId, messageId));
    }

    @Override
    public void putInbound(String clientId, int packetId, Message message) {
        submit(new StoreOp.PutInbound(clientId, packetId, message));
    }

    @Override
    public void removeInbound(String clientId, int packetId) {
        submit(new StoreOp.RemoveInbound(clientId, packetId));
    }

    @Override
    public Commit commit() {
        if (settings.durability() != Durability.FSYNC) {
            return Commit.DONE;
        }
        ThreadCommits mine = threadCommits.get();
        if (mine.markPending || (!mine.wroteSinceCommit && mine.last != null)) {
            // A mark not yet handed over covers whatever this thread writes until it is.
            mine.wroteSinceCommit = false;
            return mine.last;
        }
        StoreCommit commit = new StoreCommit();
        mine.wroteSinceCommit = false;
        mine.last = commit;
        StoreOp mark = new StoreOp.CommitMark(commit);
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        if (mine.group != null) {
            mine.group.add(mark); // behind the group's writes, in the same batch
        } else if (loop != null) {
            // One commit for everything an event loop does in one pass (all the PUBLISHes of a
            // read), handed over when the pass ends: one mark, one completion, one wakeup.
            mine.markPending = true;
            loop.execute(() -> {
                mine.markPending = false;
                enqueue(mark);
            });
        } else {
            enqueue(mark);
        }
        return commit;
    }

    @Override
    public <T> T atomically(java.util.function.Supplier<T> writes) {
        ThreadCommits mine = threadCommits.get();
        if (mine.group != null) {
            return writes.get();
        }
        mine.group = new ArrayList<>();
        try {
            return writes.get();
        } finally {
            List<StoreOp> group = mine.group;
            mine.group = null;
            if (!group.isEmpty()) {
                enqueue(new StoreOp.Group(group));
            }
        }
    }

    private void submit(StoreOp op) {
        ThreadCommits mine = threadCommits.get();
        mine.wroteSinceCommit = true;
        if (mine.group != null) {
            mine.group.add(op);
        } else {
            enqueue(op);
        }
    }

    private void enqueue(StoreOp op) {
        queue.offer(op);
        // Only the first write after the writer went to sleep pays for waking it.
        if (writerSleeping.get() && writerSleeping.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
    }

    // ---- the writer thread ----

    private void writeLoop() {
        List<StoreCommit> commits = new ArrayList<>();
        List<StoreOp> gathered = new ArrayList<>();
        long lastSave = System.nanoTime();
        long changesSinceSave = 0;
        try (WriteBatch batch = new WriteBatch()) {
            while (true) {
                StoreOp op;
                while (gathered.size() < MAX_BATCH_OPERATIONS && (op = queue.poll()) != null) {
                    gathered.add(op);
                }
                if (!gathered.isEmpty()) {
                    AckedBeforeWritten.cancel(gathered);
                    for (StoreOp each : gathered) {
                        if (each != null) {
                            apply(each, batch, commits);
                        }
                    }
                    gathered.clear();
                }
                if (batch.count() > 0 || !commits.isEmpty()) {
                    changesSinceSave += batch.count();
                    write(batch, commits);
                    continue;
                }
                if (closing && queue.isEmpty()) {
                    return;
                }
                if (periodicSaveDue(lastSave, changesSinceSave)) {
                    save();
                    lastSave = System.nanoTime();
                    changesSinceSave = 0;
                }
                idle();
            }
        } catch (RocksDBException | RuntimeException e) {
            failed = true;
            log.error("Error: Unable to write to persistence store {}: {}.", settings.directory(), e.getMessage());
            onFailure.accept(e);
        }
    }

    private void write(WriteBatch batch, List<StoreCommit> commits) throws RocksDBException {
        long started = System.nanoTime();
        boolean wrote = batch.count() > 0;
        if (wrote) {
            db.write(writeOptions, batch);
            batch.clear();
        }
        for (StoreCommit commit : commits) {
            commit.complete();
        }
        commits.clear();
        StoreObserver told = observer;
        told.committed(System.nanoTime() - started);
        if (wrote && settings.durability() == Durability.FSYNC) {
            told.synced();
        }
    }

    @Override
    public void observe(StoreObserver observer) {
        this.observer = observer;
    }

    private boolean periodicSaveDue(long lastSaveNanos, long changes) {
        return switch (settings.durability()) {
            case FSYNC -> false;
            case BATCH -> System.nanoTime() - lastSaveNanos >= TimeUnit.MILLISECONDS.toNanos(settings.syncIntervalMillis());
            case SNAPSHOT -> settings.autosaveInterval() > 0 && (settings.autosaveOnChanges()
                    ? changes >= settings.autosaveInterval()
                    : System.nanoTime() - lastSaveNanos >= TimeUnit.SECONDS.toNanos(settings.autosaveInterval()));
        };
    }

    /** BATCH: fsync the log. SNAPSHOT: write the memory tables out, as mosquitto writes its file. */
    private void save() throws RocksDBException {
        if (settings.durability() == Durability.BATCH) {
            db.flushWal(true);
            observer.synced();
        } else if (settings.durability() == Durability.SNAPSHOT) {
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
            observer.synced();
        }
    }

    private void idle() {
        writerSleeping.set(true);
        if (queue.isEmpty() && !closing) {
            // Periodic saves need waking up; in FSYNC mode only writes wake the writer.
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(
                    settings.durability() == Durability.BATCH ? Math.max(1, settings.syncIntervalMillis()) : 1000));
        }
        writerSleeping.set(false);
    }

    private void apply(StoreOp op, WriteBatch batch, List<StoreCommit> commits) throws RocksDBException {
        if (op instanceof StoreOp.PutOutbound put) {
            long id = put.message().id();
            if (put.newReference() && references.merge(id, 1, Integer::sum) == 1) {
                batch.put(StoreKeys.message(id), RecordCodec.message(put.message()));
            }
            batch.put(StoreKeys.outbound(put.clientId(), id),
                    RecordCodec.outbound(put.incarnation(), put.qos(), put.retain(), put.packetId(), put.released()));
        } else if (op instanceof StoreOp.RemoveOutbound remove) {
            batch.delete(StoreKeys.outbound(remove.clientId(), remove.messageId()));
            release(remove.messageId(), batch);
        } else if (op instanceof StoreOp.CommitMark mark) {
            commits.add(mark.commit());
        } else if (op instanceof StoreOp.Group group) {
            for (StoreOp member : group.ops()) {
                apply(member, batch, commits);
            }
        } else if (op instanceof StoreOp.PutRetained put) {
            batch.put(StoreKeys.retained(put.message().topic()), RecordCodec.message(put.message()));
        } else if (op instanceof StoreOp.RemoveRetained remove) {
            batch.delete(StoreKeys.retained(remove.topic()));
        } else if (op instanceof StoreOp.PutInbound put) {
            batch.put(StoreKeys.inbound(put.clientId(), put.packetId()), RecordCodec.message(put.message()));
        } else if (op instanceof StoreOp.RemoveInbound remove) {
            batch.delete(StoreKeys.inbound(remove.clientId(), remove.packetId()));
        } else if (op instanceof StoreOp.PutSubscription put) {
            batch.put(StoreKeys.subscription(put.clientId(), put.filter()), RecordCodec.subscription(put.options()));
        } else if (op instanceof StoreOp.RemoveSubscription remove) {
            batch.delete(StoreKeys.subscription(remove.clientId(), remove.filter()));
        } else if (op instanceof StoreOp.PutSession put) {
            batch.put(StoreKeys.session(put.clientId()),
                    RecordCodec.session(put.incarnation(), put.disconnectedAtMillis(), put.will(), put.expiryMillis()));
        } else if (op instanceof StoreOp.RemoveSession remove) {
            for (byte kind : SESSION_KINDS) {
                byte[] prefix = StoreKeys.clientPrefix(kind, remove.clientId());
                batch.deleteRange(prefix, StoreKeys.after(prefix));
            }
            for (long id : remove.heldMessageIds()) {
                release(id, batch);
            }
        }
    }

    private void release(long messageId, WriteBatch batch) throws RocksDBException {
        Integer count = references.get(messageId);
        if (count == null) {
            return;
        }
        if (count <= 1) {
            references.remove(messageId);
            batch.delete(StoreKeys.message(messageId));
        } else {
            references.put(messageId, count - 1);
        }
    }

    // ---- start-up ----

    @Override
    public StoreContents load() throws StoreException {
        if (loaded) {
            throw new IllegalStateException("load() once, before any write");
        }
        loaded = true;
        StoreReader.Result result = new StoreReader(db, settings.directory(), recoveredAuthorizer).read(false);
        references.putAll(result.references());
        try (WriteBatch cleanup = new WriteBatch(); WriteOptions sync = new WriteOptions().setSync(true)) {
            for (byte[] key : result.garbage()) {
                cleanup.delete(key);
            }
            cleanup.put(StoreKeys.FORMAT_KEY, RecordCodec.formatVersion());
            db.write(sync, cleanup);
        } catch (RocksDBException e) {
            throw new StoreException("Unable to write to persistence store " + settings.directory() + ": " + e.getMessage(), e);
        }
        writer.start();
        return result.contents();
    }

    @Override
    public void close() {
        closing = true;
        if (writer.isAlive()) {
            LockSupport.unpark(writer);
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (!failed) {
                // A clean stop leaves everything in table files: the next start replays no log.
                db.flushWal(true);
                try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                    db.flush(flush);
                }
            }
        } catch (RocksDBException e) {
            log.error("Error: Unable to save persistence store {}: {}.", settings.directory(), e.getMessage());
        } finally {
            writeOptions.close();
            db.close();
            options.close();
        }
    }
}
