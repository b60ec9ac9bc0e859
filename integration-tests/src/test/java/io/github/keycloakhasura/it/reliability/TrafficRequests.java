package io.github.keycloakhasura.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How {@link MixedTraffic}'s clients send a request: through the {@link Balancer} (a connection error is retried once
 * on another node, as a client behind a load balancer would; anything else counts as it came), paced to at most
 * {@code requestsPerSecond} over all clients, judged (HTTP 200 and, for GraphQL, data without errors) and kept as a
 * {@link Call}.
 */
final class TrafficRequests {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Balancer balancer;
    private final double requestsPerSecond;
    private final LongSupplier clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextSlot = new AtomicLong();
    private final ThreadLocal<String> lastNode = new ThreadLocal<>();
    private final ThreadLocal<JsonNode> parsed = new ThreadLocal<>();

    /** {@code clock}: milliseconds since the load started, the clock of every {@link Call}. */
    TrafficRequests(Balancer balancer, double requestsPerSecond, LongSupplier clock) {
        this.balancer = balancer;
        this.requestsPerSecond = requestsPerSecond;
        this.clock = clock;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The node that answered this thread's last request. */
    String lastNode() {
        return lastNode.get();
    }

    /** The operation's {@code data}, or null when it failed (recorded either way). */
    JsonNode graphql(String operation, String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = variables == null ? Map.of("query", query) : Map.of("query", query, "variables", variables);
        String json;
        try {
            json = Http.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> r = request(operation, "/graphql", json, bearer);
        return r == null ? null : parsed.get();
    }

    /**
     * Sends one request (retried once on another node after a connection error); the response when it did its job,
     * null otherwise or when the thread was interrupted.
     */
    HttpResponse<String> request(String operation, String path, String graphqlBody, String bearer) {
        pace();
        long start = clock.getAsLong();
        Balancer.Target target = balancer.pick(null);
        String retriedFrom = null;
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.baseUrl().get() + "/realms/app" + path)).timeout(TIMEOUT);
            if (graphqlBody != null) {
                b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(graphqlBody));
            } else {
                b.GET();
            }
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                lastNode.set(target.name());
                String failure = judge(r, graphqlBody != null);
                calls.add(new Call(operation, target.name(), start, clock.getAsLong(), r.statusCode(), failure == null, retriedFrom, failure));
                return failure == null ? r : null;
            } catch (HttpTimeoutException e) {
                calls.add(new Call(operation, target.name(), start, clock.getAsLong(), -1, false, retriedFrom, "timeout after " + TIMEOUT));
                return null;
            } catch (IOException e) {
                if (e instanceof java.net.ConnectException) {
                    // refused: the node is gone (a dropped keep-alive connection to a live node is only retried)
                    balancer.connectionFailed(target.name());
                }
                if (attempt == 0) {
                    retriedFrom = target.name();
                    target = balancer.pick(target.name());
                    continue;
                }
                calls.add(new Call(operation, target.name(), start, clock.getAsLong(), -1, false, retriedFrom, "connection: " + e));
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** Null when the response did its job, else why not. */
    private String judge(HttpResponse<String> r, boolean graphql) {
        if (r.statusCode() != 200) {
            return "HTTP " + r.statusCode() + ": " + abbreviate(r.body());
        }
        if (!graphql) {
            return null;
        }
        try {
            JsonNode json = Http.JSON.readTree(r.body());
            if (json.has("errors") || json.path("data").isNull() || json.path("data").isMissingNode()) {
                return "GraphQL " + json.at("/errors/0/extensions/code").asText() + ": " + abbreviate(json.at("/errors/0/message").asText());
            }
            JsonNode data = json.get("data");
            if (data.elements().hasNext() && data.elements().next().isNull()) {
                return "null result";
            }
            parsed.set(data);
            return null;
        } catch (IOException e) {
            return "not JSON: " + abbreviate(r.body());
        }
    }

    /** At most {@code requestsPerSecond} over all clients (0: as fast as they go). */
    private void pace() {
        if (requestsPerSecond <= 0) {
            return;
        }
        long interval = (long) (1_000_000_000L / requestsPerSecond);
        long slot = nextSlot.accumulateAndGet(System.nanoTime(), (prev, now) -> Math.max(prev + interval, now));
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
