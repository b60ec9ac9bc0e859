package io.github.keycloakhasura.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Mixed traffic of real clients over the {@link Balancer}'s nodes: each client signs in with {@code tokenAuth}, then
 * cycles through {@code refreshToken}, {@code verifyToken}, {@code whoami}, the Hasura webhook and {@code users},
 * signing in again every {@value #CYCLES_PER_SESSION} cycles (a new session each time). Requests go out through
 * {@link TrafficRequests} (a connection error retried once on another node, pacing), each kept as a {@link Call}; every
 * session is kept as a {@link Session} with its latest refresh token.
 */
public final class MixedTraffic implements AutoCloseable {

    static final int CYCLES_PER_SESSION = 8;

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

    private final Options options;
    private final TrafficRequests requests;
    private final Queue<Session> sessions = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long t0 = System.nanoTime();
    private volatile boolean stopping;

    public MixedTraffic(Balancer balancer, Options options) {
        this.options = options;
        this.requests = new TrafficRequests(balancer, options.requestsPerSecond(), this::now);
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
                t.join(TrafficRequests.TIMEOUT.toMillis() * 3);
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
            if (!s.revoked && requests.graphql("revokeToken", "mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }",
                    Map.of("r", s.refreshToken), null) != null) {
                s.revoked = true;
            }
        }
    }

    public List<Call> calls() {
        return requests.calls();
    }

    public List<Session> sessions() {
        return List.copyOf(sessions);
    }

    private void client(String username) {
        Session session = null;
        String access = null;
        long cycle = 0;
        while (!stopping && !Thread.currentThread().isInterrupted()) {
            if (session == null || cycle % CYCLES_PER_SESSION == 0) {
                if (session != null && options.revokeOnSignIn()) {
                    JsonNode revoked = requests.graphql("revokeToken", "mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }",
                            Map.of("r", session.refreshToken), null);
                    if (revoked != null) {
                        session.revoked = true;
                    }
                }
                JsonNode login = requests.graphql("tokenAuth", "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) "
                        + "{ token refreshToken payload } }", Map.of("u", username, "p", options.password()), null);
                if (login == null) {
                    cycle++;
                    continue;
                }
                JsonNode auth = login.get("tokenAuth");
                access = auth.get("token").asText();
                session = new Session(auth.path("payload").path("sid").asText(), username, requests.lastNode(), now(), auth.get("refreshToken").asText());
                sessions.add(session);
            }
            JsonNode refreshed = requests.graphql("refreshToken", "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }",
                    Map.of("r", session.refreshToken), null);
            if (refreshed != null) {
                access = refreshed.at("/refreshToken/token").asText();
                session.refreshToken = refreshed.at("/refreshToken/refreshToken").asText();
            }
            requests.graphql("verifyToken", "mutation($t: String!) { verifyToken(token: $t) { payload } }", Map.of("t", access), null);
            requests.graphql("whoami", "{ whoami { id username hasura } }", null, access);
            requests.request("webhook", "/hasura/webhook", null, access);
            requests.graphql("users", "{ users(first: 10) { id username } }", null, access);
            cycle++;
        }
    }
}
