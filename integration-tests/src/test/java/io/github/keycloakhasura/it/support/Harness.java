package io.github.keycloakhasura.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** What every server the tests start needs: ports, Maven-given paths, files, logs and waiting for readiness. */
public final class Harness {

    private Harness() {
    }

    /** Ports this test JVM handed out: never handed out twice (two servers of one start never share a port). */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port free on the loopback interface right now and not handed out before in this JVM. Another process may
     * still bind it before the server does: starts retry on {@link #portTaken(Path)}.
     */
    public static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    /** Whether a server's log says it could not bind a port (taken between {@link #freePort()} and its start). */
    public static boolean portTaken(Path log) {
        return logLines(log).stream().anyMatch(l -> l.contains("Port already bound") || l.contains("Address already in use")
                || l.contains("BindException"));
    }

    /** How often a start whose port was taken meanwhile is tried again, on other ports. */
    public static final int START_ATTEMPTS = 3;

    /** A system property failsafe sets; fails clearly when the tests run outside Maven. */
    public static String requiredProperty(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set (run the tests through Maven)");
        }
        return value;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Starts {@code bin/kc.sh} of {@code home} with {@code command} (the script and its arguments), output to
     * {@code log}, with the bootstrap admin of {@link KeycloakServer} and a test-sized heap unless
     * {@code JAVA_OPTS_KC_HEAP} says otherwise.
     */
    public static Process launchKeycloak(Path home, List<String> command, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN_USERNAME);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
        pb.environment().putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms256m -Xmx1g");
        return pb.start();
    }

    /** A log's lines, empty when it does not exist yet (tolerates a line cut mid-character while it is written). */
    public static List<String> logLines(Path file) {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            try {
                return List.of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).split("\n"));
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        }
    }

    /** The last {@code count} lines of a log, for failure messages. */
    public static String logTail(Path file, int count) {
        List<String> lines = logLines(file);
        return "--- last lines of " + file + " ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    /**
     * Waits until every probe has answered 200, in order. Throws, with the log's tail, when the process exits first,
     * and after running {@code stopOnTimeout} when the timeout passes.
     */
    public static void awaitReady(String what, Process process, List<URI> probes, Duration timeout, Path log,
                                  Runnable stopOnTimeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        int ready = 0;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue() + " during start-up.\n"
                        + logTail(log, 60));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(probes.get(ready)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 && ++ready == probes.size()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        stopOnTimeout.run();
        throw new IllegalStateException(what + " did not become ready within " + timeout + ".\n" + logTail(log, 60));
    }
}
