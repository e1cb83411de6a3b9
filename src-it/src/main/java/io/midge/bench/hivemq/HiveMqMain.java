package io.midge.bench.hivemq;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ Community Edition (embedded) as a broker process for the comparison benchmark
 * ({@code bench/compare.sh}): {@code HiveMqMain PORT DIR [--queue N] [--inflight N] [--bind ADDR]}.
 *
 * <p>Writes {@code DIR/conf/config.xml} (one TCP listener, in-memory persistence, per-client queue
 * of {@code --queue} messages with the {@code discard} strategy (new messages are dropped when
 * full, as mosquitto does), no usage statistics) and {@code DIR/conf/logback.xml} (INFO to
 * stdout, which HiveMQ's own logging bootstrap reads), starts HiveMQ and runs until SIGTERM or
 * SIGINT, then stops it. Anonymous clients are allowed: HiveMQ CE without extensions allows all.
 *
 * <p>HiveMQ's config.xml has no in-flight window for MQTT 3 clients (MQTT 5 clients bring their
 * receive maximum); its internal default is 50. {@code --inflight} sets that internal value
 * ({@code InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES}, read per delivery) so that
 * all brokers compared use the same window; {@code --inflight 0} keeps HiveMQ's default.
 *
 * <p>HiveMQ is reached through reflection, so that the Midge build (and src-it's test class path)
 * neither needs nor sees it. This class runs on HiveMQ's own class path (Netty 4.1, as released),
 * which {@code bench/hivemq/pom.xml} resolves; see {@code bench/compare.sh}.
 */
public final class HiveMqMain {

    private HiveMqMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage("PORT and DIR are required");
        }
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]).toAbsolutePath();
        long queue = 100_000;
        int inflight = 20;
        String bind = "127.0.0.1";
        for (int i = 2; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--queue" -> queue = Long.parseLong(args[i + 1]);
                case "--inflight" -> inflight = Integer.parseInt(args[i + 1]);
                case "--bind" -> bind = args[i + 1];
                default -> usage("unknown option " + args[i]);
            }
        }

        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path extensions = Files.createDirectories(dir.resolve("extensions"));
        write(conf.resolve("config.xml"), configXml(bind, port, queue));
        write(conf.resolve("logback.xml"), LOGBACK_XML);
        Class<?> internal = Class.forName("com.hivemq.configuration.service.InternalConfigurations");
        if (inflight > 0) {
            internal.getField("MAX_INFLIGHT_WINDOW_SIZE_MESSAGES").setInt(null, inflight);
        }
        int window = internal.getField("MAX_INFLIGHT_WINDOW_SIZE_MESSAGES").getInt(null);

        // EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(data)
        //         .withExtensionsFolder(extensions).build()
        Class<?> embedded = Class.forName("com.hivemq.embedded.EmbeddedHiveMQ");
        Class<?> builderType = Class.forName("com.hivemq.embedded.EmbeddedHiveMQBuilder");
        Object builder = embedded.getMethod("builder").invoke(null);
        builder = builderType.getMethod("withConfigurationFolder", Path.class).invoke(builder, conf);
        builder = builderType.getMethod("withDataFolder", Path.class).invoke(builder, data);
        builder = builderType.getMethod("withExtensionsFolder", Path.class).invoke(builder, extensions);
        Object hivemq = builderType.getMethod("build").invoke(builder);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                call(embedded, hivemq, "stop").get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("HiveMqMain: stop: " + e);
            } finally {
                stopped.countDown();
            }
        }, "hivemq-stop"));
        long start = System.nanoTime();
        try {
            call(embedded, hivemq, "start").join();
        } catch (RuntimeException e) {
            System.err.println("HiveMqMain: HiveMQ did not start: " + e);
            Runtime.getRuntime().halt(1);
        }
        System.out.printf("HiveMqMain: HiveMQ CE listening on %s:%d after %d ms (queue %d, inflight %d%s)%n",
                bind, port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), queue, window,
                inflight > 0 ? "" : ", HiveMQ's default");
        System.out.flush();
        stopped.await();
    }

    /** {@code start()} or {@code stop()} of EmbeddedHiveMQ. */
    private static CompletableFuture<?> call(Class<?> embedded, Object hivemq, String method) throws Exception {
        try {
            return (CompletableFuture<?>) embedded.getMethod(method).invoke(hivemq);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String configXml(String bind, int port, long queue) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                            <strategy>discard</strategy>
                        </queued-messages>
                        <packets>
                            <max-packet-size>268435460</max-packet-size>
                        </packets>
                        <keep-alive>
                            <max-keep-alive>65535</max-keep-alive>
                            <allow-unlimited>true</allow-unlimited>
                        </keep-alive>
                    </mqtt>
                    <restrictions>
                        <max-connections>-1</max-connections>
                    </restrictions>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, bind, queue);
    }

    /** INFO (start-up, warnings) to stdout; HiveMQ CE logs no line per client connection at INFO. */
    private static final String LOGBACK_XML = """
            <configuration scan="false">
                <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder>
                        <pattern>%-30(%d %level)- %msg%n%ex</pattern>
                    </encoder>
                </appender>
                <root level="INFO">
                    <appender-ref ref="CONSOLE"/>
                </root>
                <logger name="jetbrains.exodus" level="WARN"/>
                <logger name="org.eclipse.jetty" level="ERROR"/>
                <logger name="com.google.common.util.concurrent.Futures.CombinedFuture" level="OFF"/>
                <logger name="oshi" level="ERROR"/>
            </configuration>
            """;

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void usage(String problem) {
        System.err.println("HiveMqMain: " + problem);
        System.err.println("usage: HiveMqMain PORT DIR [--queue N] [--inflight N (0 = HiveMQ's default)] [--bind ADDR]");
        System.exit(2);
    }
}
