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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mixed traffic of real clients over the {@link Balancer}'s nodes: each client signs in with {@code tokenAuth}, then
 * cycles through {@code refreshToken}, {@code verifyToken}, {@code whoami}, the Hasura webhook and {@code users},
 * signing in again every {@value #CYCLES_PER_SESSION} cycles (a new session each time). A connection error is retried
 * once on another node, as a client behind a load balancer would; anything else counts as it came. Every request is
 * kept as a {@link Call}; every session as a {@link Session} with its latest refresh token.
 */
public final class MixedTraffic implements AutoCloseable {

    static final int CYCLES_PER_SESSION = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A session one client opened. {@code refreshToken} is the latest the client holds. */
    public static final class Session {
        public final String id;
        public final String username;
        public final String createdOn;
        public final long createdMillis;
        volatile String refreshToken;
        volatile boolean revoked;

        Session(String id, String username, String createdOn, long createdMillis, String refreshToken) {
            this.id = id;
            this.username = username;
            this.createdOn = createdOn;
            this.createdMillis = createdMillis;
            this.refreshToken = refreshToken;
        }

        public String refreshToken() {
            return refreshToken;
        }

        public boolean revoked() {
            return revoked;
        }
    }

    /** {@code revokeOnSignIn}: end the previous session before opening the next (the soak's steady session count). */
    public record Options(List<String> usernames, String password, double requestsPerSecond, boolean revokeOnSignIn) {
    }

    private final Balancer balancer;
    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Queue<Session> sessions = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextSlot = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final long t0 = System.nanoTime();
    private volatile boolean stopping;

    public MixedTraffic(Balancer balancer, Options options) {
        this.balancer = balancer;
        this.options = options;
    }

    /** Starts one thread per user. */
    public MixedTraffic start() {
        for (String username : options.usernames()) {
            Thread t = new Thread(() -> client(username), "client-" + username);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    /** Milliseconds since the load was created: the clock of every {@link Call}. */
    public long now() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Stops the clients and waits for their last requests. */
    public void stop() {
        stopping = true;
        for (Thread t : threads) {
            try {
                t.join(TIMEOUT.toMillis() * 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Waits until every client has opened a session and {@code atLeastMillis} have passed since the start (at most
     * {@code maxMillis}); returns {@link #now()}.
     */
    public long awaitEveryClientSignedIn(long atLeastMillis, long maxMillis) throws InterruptedException {
        while (now() < maxMillis && (now() < atLeastMillis
                || sessions.stream().map(s -> s.username).distinct().count() < options.usernames().size())) {
            Thread.sleep(50);
        }
        return now();
    }

    /** After {@link #stop()}: ends every session the clients left open (revokeToken with its latest refresh token). */
    public void signOut() {
        for (Session s : sessions) {
            if (!s.revoked && graphql("revokeToken", "mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }",
                    Map.of("r", s.refreshToken), null) != null) {
                s.revoked = true;
            }
        }
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Session> sessions() {
        return List.copyOf(sessions);
    }

    private void client(String username) {
        Session session = null;
        String access = null;
        long cycle = 0;
        while (!stopping) {
            if (session == null || cycle % CYCLES_PER_SESSION == 0) {
                if (session != null && options.revokeOnSignIn()) {
                    JsonNode revoked = graphql("revokeToken", "mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }",
                            Map.of("r", session.refreshToken), null);
                    if (revoked != null) {
                        session.revoked = true;
                    }
                }
                JsonNode login = graphql("tokenAuth", "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) "
                        + "{ token refreshToken payload } }", Map.of("u", username, "p", options.password()), null);
                if (login == null) {
                    cycle++;
                    continue;
                }
                JsonNode auth = login.get("tokenAuth");
                access = auth.get("token").asText();
                session = new Session(auth.path("payload").path("sid").asText(), username, lastNode.get(), now(), auth.get("refreshToken").asText());
                sessions.add(session);
            }
            JsonNode refreshed = graphql("refreshToken", "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }",
                    Map.of("r", session.refreshToken), null);
            if (refreshed != null) {
                access = refreshed.at("/refreshToken/token").asText();
                session.refreshToken = refreshed.at("/refreshToken/refreshToken").asText();
            }
            graphql("verifyToken", "mutation($t: String!) { verifyToken(token: $t) { payload } }", Map.of("t", access), null);
            graphql("whoami", "{ whoami { id username hasura } }", null, access);
            request("webhook", "/hasura/webhook", null, access);
            graphql("users", "{ users(first: 10) { id username } }", null, access);
            cycle++;
        }
    }

    private final ThreadLocal<String> lastNode = new ThreadLocal<>();

    /** The operation's {@code data}, or null when it failed (recorded either way). */
    private JsonNode graphql(String operation, String query, Map<String, Object> variables, String bearer) {
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

    private final ThreadLocal<JsonNode> parsed = new ThreadLocal<>();

    /** Sends one request (retried once on another node after a connection error); the response when it did its job. */
    private HttpResponse<String> request(String operation, String path, String graphqlBody, String bearer) {
        pace();
        long start = now();
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
                calls.add(new Call(operation, target.name(), start, now(), r.statusCode(), failure == null, retriedFrom, failure));
                return failure == null ? r : null;
            } catch (HttpTimeoutException e) {
                calls.add(new Call(operation, target.name(), start, now(), -1, false, retriedFrom, "timeout after " + TIMEOUT));
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
                calls.add(new Call(operation, target.name(), start, now(), -1, false, retriedFrom, "connection: " + e));
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
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
        double rate = options.requestsPerSecond();
        if (rate <= 0) {
            return;
        }
        long interval = (long) (1_000_000_000L / rate);
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
