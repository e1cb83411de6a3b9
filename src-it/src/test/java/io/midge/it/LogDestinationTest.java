package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code log_dest}: where the log goes, what reaches stderr when nothing configured can show it,
 * and SIGHUP, which logs mosquitto's "Reloading config." and reopens the log file.
 */
class LogDestinationTest {

    static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void configWarningsStartWithWarningAndGoToStderrWhateverTheLogDestination() {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path file = launch.writableDir("logs").resolve("broker.log");
        try (BrokerProcess b = launch.config(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "log_dest file " + file,
                "retry_interval 5")).startAndAwait(port)) {
            List<String> stderr = LogLines.of(b.logText());
            assertEquals(1, stderr.size(), b.logText());
            assertTrue(stderr.get(0).startsWith("Warning: ") && stderr.get(0).contains("retry_interval"), b.logText());
            Await.until(LIMIT, () -> read(file).contains("Opening ipv4 listen socket on port " + port + "."),
                    () -> "the log file has the start-up; it holds:\n" + read(file));
        }
    }

    @Test
    void syslogGetsTheLogLinesWithPriorityAndTag() throws Exception {
        // mosquitto's syslog(3) always writes to /dev/log; there is no pointing it at a test socket.
        assumeFalse(BrokerProcess.isMosquitto(), "Midge only");
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path socket = launch.dir().resolve("log.sock");
        Queue<String> datagrams = new ConcurrentLinkedQueue<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel syslog = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                            datagrams.add(packet.content().toString(StandardCharsets.UTF_8));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toFile())).sync().channel();
            try (BrokerProcess b = launch.midgeJvmOption("-Dmidge.syslog.socket=" + socket).config(List.of(
                    "listener " + port + " 127.0.0.1",
                    "log_dest syslog",
                    "log_facility 3")).startAndAwait(port)) {
                // LOG_LOCAL3 (19) * 8 + LOG_INFO (6), syslog(3)'s time stamp, ident[pid], then the log line.
                String opening = "<158>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d midge\\[" + b.pid() + "\\]: \\d+: "
                        + "Opening ipv4 listen socket on port " + port + "\\.";
                Await.until(LIMIT, () -> datagrams.stream().anyMatch(d -> d.matches(opening)),
                        () -> "a datagram like " + opening + " among " + datagrams);
                assertEquals("", b.logText(), "nothing on stdout or stderr");
            }
            syslog.close().sync();
        } finally {
            group.shutdownGracefully().sync();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"syslog", "topic"})
    void errorsReachStderrWhenNoDestinationCanShowThem(String dest) throws IOException {
        int port = BrokerProcess.freePorts(1)[0];
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName(BrokerProcess.HOST))) {
            BrokerLaunch launch = BrokerLaunch.create();
            BrokerLaunch.Run run = launch.midgeJvmOption("-Dmidge.syslog.socket=" + launch.dir().resolve("none.sock"))
                    .config(List.of("log_dest " + dest, "listener " + port + " 127.0.0.1")).run(LIMIT);

            assertEquals(1, run.code(), run.stderr());
            // mosquitto sends them only where told: syslog(3) falls back to the console, topic to $SYS.
            assertEquals(Reference.expect(true, false), run.stderr().contains("Error: Address already in use"),
                    run.stderr());
            assertTrue(!run.stderr().contains("Opening "), "only warnings and errors: " + run.stderr());
        }
    }

    @Test
    void aLogFileThatCannotBeOpenedLeavesErrorsOnStderr() throws IOException {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        // Under a regular file: no one can create that directory.
        Path file = Files.writeString(launch.dir().resolve("not-a-directory"), "").resolve("broker.log");
        try (BrokerProcess b = launch.config(List.of(
                "listener " + port + " 127.0.0.1",
                "log_dest file " + file)).startAndAwait(port)) {
            assertEquals(List.of("Error: Unable to open log file " + file + " for writing."), LogLines.of(b.logText()));
        }
    }

    @Test
    void sighupLogsReloadingConfigAndReopensTheLogFile() throws IOException {
        int port = BrokerProcess.freePorts(1)[0];
        BrokerLaunch launch = BrokerLaunch.create();
        Path file = launch.writableDir("logs").resolve("broker.log");
        Path rotated = file.resolveSibling("broker.log.1");
        try (BrokerProcess b = launch.config(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "log_dest file " + file)).startAndAwait(port)) {
            Await.until(LIMIT, () -> read(file).contains(" running"), () -> "started; log file:\n" + read(file));
            Files.move(file, rotated);
            b.signal("HUP");
            Await.until(LIMIT, () -> LogLines.of(read(rotated)).contains("Reloading config."),
                    () -> "Reloading config. in the old file:\n" + read(rotated));
            Await.until(LIMIT, () -> Files.exists(file), "the log file is created again");
            String id = Ids.client("reopened");
            RawClient.connect(port, id).disconnect();
            Await.until(LIMIT, () -> read(file).contains("New client connected from 127.0.0.1"),
                    () -> "later lines go to the new file:\n" + read(file));
            b.close();
            assertEquals(Integer.valueOf(0), b.exitCode());
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
