package io.github.keycloakhasura.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An HTTP server playing Hasura's GraphQL endpoint ({@code POST /v1/graphql}) for the user-sync tests: it records
 * every request (body and Authorization header) and answers as its mode says: {@code UP} a GraphQL success,
 * {@code DOWN} 503, {@code GRAPHQL_ERRORS} 200 with an {@code errors} list (what Hasura answers a refused mutation).
 */
public final class FakeHasura implements AutoCloseable {

    public enum Mode { UP, DOWN, GRAPHQL_ERRORS }

    /** One request as received, and whether this server took it (answered UP). */
    public record Received(JsonNode body, String authorization, boolean accepted) {
        public String operation() {
            String query = body.path("query").asText();
            // a join also upserts the member's row first: the membership field names it
            for (String op : List.of("insert_organization_members_one", "update_organization_members_by_pk",
                    "delete_organization_members_by_pk", "insert_users_one", "update_users_by_pk", "delete_users_by_pk")) {
                if (query.contains(op)) {
                    return op;
                }
            }
            return query;
        }

        /** The user id the mutation is about. */
        public String userId() {
            JsonNode v = body.path("variables");
            return v.has("user") ? v.path("user").path("id").asText()
                    : v.has("user_id") ? v.path("user_id").asText() : v.path("id").asText();
        }

        /** The organization of a membership mutation (a join's {@code member}, a leave's variables); "" otherwise. */
        public String organizationId() {
            JsonNode v = body.path("variables");
            return v.has("member") ? v.path("member").path("organization_id").asText() : v.path("organization_id").asText();
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final List<Received> received = new ArrayList<>();
    private volatile Mode mode = Mode.UP;
    private volatile long delayMillis;

    public FakeHasura() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/v1/graphql", exchange -> {
            byte[] request;
            try (InputStream in = exchange.getRequestBody()) {
                request = in.readAllBytes();
            }
            Mode now = mode;
            if (delayMillis > 0) {
                Harness.sleep(delayMillis);
            }
            JsonNode body = Http.JSON.readTree(request);
            synchronized (received) {
                received.add(new Received(body, exchange.getRequestHeaders().getFirst("Authorization"), now == Mode.UP));
            }
            String answer = switch (now) {
                case UP -> "{\"data\":{\"result\":{\"id\":\"x\"}}}";
                case DOWN -> "{\"error\":\"down\"}";
                case GRAPHQL_ERRORS -> "{\"errors\":[{\"message\":\"database query error\",\"extensions\":{\"code\":\"unexpected\"}}]}";
            };
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(now == Mode.DOWN ? 503 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/graphql";
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** Answers this much later (a slow Hasura: widens the window in which two senders could overlap). */
    public void delay(Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public List<Received> received(Predicate<Received> which) {
        return received().stream().filter(which).toList();
    }

    /** Waits until {@code which} holds for what was received; the last state on timeout (the test then fails). */
    public List<Received> await(Predicate<List<Received>> which, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        List<Received> now = received();
        while (!which.test(now) && System.nanoTime() < until) {
            Harness.sleep(100);
            now = received();
        }
        return now;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
