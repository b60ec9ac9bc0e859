package io.github.keycloakhasura.it.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What a load balancer in front of the nodes does: round robin over the nodes it believes up, a health check
 * ({@code /health/ready} on the management port) every {@code interval} that takes a node out and puts it back, and a
 * node taken out at once when a client reports a connection error on it. The URLs are read on every use, so a node
 * restarted on new ports is found again.
 */
public final class Balancer implements AutoCloseable {

    /** A node as the balancer sees it. {@code healthUrl} null: never checked, always up. */
    public record Target(String name, Supplier<String> baseUrl, Supplier<String> healthUrl) {
    }

    private final List<Target> targets;
    private final Map<String, Boolean> up = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread checker;
    private volatile boolean closed;

    public Balancer(List<Target> targets, Duration interval) {
        this.targets = List.copyOf(targets);
        targets.forEach(t -> up.put(t.name(), true));
        this.checker = new Thread(() -> {
            while (!closed) {
                for (Target t : this.targets) {
                    if (t.healthUrl() != null) {
                        Boolean healthy = healthy(t);
                        if (healthy != null) {
                            mark(t.name(), healthy, "health check");
                        }
                    }
                }
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "balancer-health");
        checker.setDaemon(true);
        checker.start();
    }

    /**
     * False when the node refuses the connection or answers other than 200; null (its state stays as it was) when
     * the check timed out or a kept-alive connection was dropped twice: a busy node is not a dead one.
     */
    private Boolean healthy(Target t) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(t.healthUrl().get()))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() == 200;
            } catch (java.net.ConnectException e) {
                return false;
            } catch (java.io.IOException e) {
                // a timeout, or a dropped keep-alive connection: try once more on a new one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** The next node that is up, other than {@code avoid} where there is another; any node when none is up. */
    public Target pick(String avoid) {
        int n = targets.size();
        long start = next.getAndIncrement();
        for (int i = 0; i < n; i++) {
            Target t = targets.get((int) ((start + i) % n));
            if (up.getOrDefault(t.name(), false) && !t.name().equals(avoid)) {
                return t;
            }
        }
        for (int i = 0; i < n; i++) {
            Target t = targets.get((int) ((start + i) % n));
            if (!t.name().equals(avoid) || n == 1) {
                return t;
            }
        }
        return targets.get(0);
    }

    /** A client could not connect to (or lost its connection with) {@code name}: out until its health check passes. */
    public void connectionFailed(String name) {
        Target t = targets.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        if (t.healthUrl() != null) {
            mark(name, false, "connection refused");
        }
    }

    private void mark(String name, boolean isUp, String why) {
        Boolean was = up.put(name, isUp);
        if (was == null || was != isUp) {
            System.out.println("Balancer: node " + name + (isUp ? " in" : " out") + " (" + why + ")");
        }
    }

    public boolean isUp(String name) {
        return up.getOrDefault(name, false);
    }

    @Override
    public void close() {
        closed = true;
        checker.interrupt();
    }
}
