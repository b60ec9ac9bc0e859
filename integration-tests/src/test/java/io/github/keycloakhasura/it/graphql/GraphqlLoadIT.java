package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded load test on loopback: {@code load.clients} (50) concurrent clients for {@code load.seconds} (60 s),
 * each logging in and then looping over refresh, verify, whoami and users (a fifth are managers), now and then
 * logging in again and revoking its previous session. Asserts zero 5xx, zero failed refreshes, zero unexpected
 * answers, and that Keycloak holds exactly one session per client at the end (logins minus revocations) and none
 * after the clients log out. Prints a table of counts and p50/p99 latencies.
 * Shorter runs while iterating: {@code -Dload.seconds=10}.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlLoadIT {

    static final int CLIENTS = Integer.getInteger("load.clients", 50);
    static final Duration DURATION = Duration.ofSeconds(Long.getLong("load.seconds", 60));
    /** Pause between a client's requests: 50 clients without any pause would only measure the 2-core CI box. */
    static final long THINK_MILLIS = Long.getLong("load.think.ms", 20);
    static final String PASSWORD = "Load-test-pass-1";

    static final String LOGIN = "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token refreshToken } }";
    static final String REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken payload } }";
    static final String VERIFY = "mutation($t: String!) { verifyToken(token: $t) { payload } }";
    static final String REVOKE = "mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }";
    static final String WHOAMI = "{ whoami { id username roles profile { role } hasura } }";
    static final String USERS = "query($s: String) { usersPage(search: $s, first: 10) { items { id username } totalCount hasNextPage } }";

    static KeycloakAdmin admin;
    static String url;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        url = new GraphqlClient(keycloak).url();
    }

    /** Per-operation outcome counts and latencies. */
    static final class Stats {
        final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong ok = new AtomicLong();
        final AtomicLong expectedRefusals = new AtomicLong();
        final AtomicLong unexpected = new AtomicLong();
        final AtomicLong serverErrors = new AtomicLong();
    }

    final Map<String, Stats> stats = new ConcurrentHashMap<>();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong logins = new AtomicLong();
    final AtomicLong revocations = new AtomicLong();

    Stats stats(String operation) {
        return stats.computeIfAbsent(operation, o -> new Stats());
    }

    /** One GraphQL call; returns the parsed answer, or null after recording a transport or server failure. */
    JsonNode call(String operation, String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[]{"Content-Type", "application/json"});
        if (bearer != null) {
            headers.add(new String[]{"Authorization", "Bearer " + bearer});
        }
        Stats s = stats(operation);
        long start = System.nanoTime();
        Http.Response r;
        try {
            r = Hostile.send("POST", url, Http.JSON.writeValueAsBytes(body), headers);
        } catch (IOException | UncheckedIOException e) {
            s.unexpected.incrementAndGet();
            problem(operation + ": " + e);
            return null;
        }
        s.micros.add((System.nanoTime() - start) / 1000);
        if (r.status() >= 500) {
            s.serverErrors.incrementAndGet();
            problem(operation + ": " + r);
            return null;
        }
        if (r.status() != 200) {
            s.unexpected.incrementAndGet();
            problem(operation + ": " + r);
            return null;
        }
        return r.json();
    }

    void problem(String text) {
        if (problems.size() < 20) {
            problems.add(text.length() > 500 ? text.substring(0, 500) + "…" : text);
        }
    }

    /** Records the outcome: data at {@code field}, or (when allowed) the expected refusal code. */
    JsonNode outcome(String operation, JsonNode answer, String field, String refusalCode) {
        if (answer == null) {
            return null;
        }
        Stats s = stats(operation);
        JsonNode data = answer.path("data").path(field);
        if (!answer.has("errors") && !data.isMissingNode() && !data.isNull()) {
            s.ok.incrementAndGet();
            return data;
        }
        String code = answer.path("errors").path(0).path("extensions").path("code").asText();
        if (refusalCode != null && refusalCode.equals(code)) {
            s.expectedRefusals.incrementAndGet();
        } else {
            s.unexpected.incrementAndGet();
            problem(operation + ": " + answer);
        }
        return null;
    }

    final class Client implements Runnable {
        final String username;
        final boolean manager;
        final Random random;
        final CountDownLatch start;
        final long deadline;
        String access;
        String refresh;

        Client(String username, boolean manager, long seed, CountDownLatch start, long deadline) {
            this.username = username;
            this.manager = manager;
            this.random = new Random(seed);
            this.start = start;
            this.deadline = deadline;
        }

        boolean login() {
            JsonNode tokens = outcome("login", call("login", LOGIN, Map.of("u", username, "p", PASSWORD), null), "tokenAuth", null);
            if (tokens == null) {
                return false;
            }
            logins.incrementAndGet();
            access = tokens.get("token").asText();
            refresh = tokens.get("refreshToken").asText();
            return true;
        }

        void revoke(String refreshToken) {
            if (outcome("revoke", call("revoke", REVOKE, Map.of("r", refreshToken), null), "revokeToken", null) != null) {
                revocations.incrementAndGet();
            }
        }

        @Override
        public void run() {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!login()) {
                return;
            }
            while (System.nanoTime() < deadline) {
                int dice = random.nextInt(100);
                if (dice < 20) {
                    JsonNode refreshed = outcome("refresh", call("refresh", REFRESH, Map.of("r", refresh), null), "refreshToken", null);
                    if (refreshed != null) {
                        access = refreshed.get("token").asText();
                        refresh = refreshed.get("refreshToken").asText();
                    }
                } else if (dice < 45) {
                    outcome("verify", call("verify", VERIFY, Map.of("t", access), null), "verifyToken", null);
                } else if (dice < 75) {
                    JsonNode me = outcome("whoami", call("whoami", WHOAMI, null, access), "whoami", null);
                    if (me != null && !username.equals(me.get("username").asText())) {
                        stats("whoami").unexpected.incrementAndGet();
                        problem("whoami answered " + me + " for " + username);
                    }
                } else if (dice < 99) {
                    Map<String, Object> search = new LinkedHashMap<>();
                    search.put("s", random.nextBoolean() ? null : "load");
                    outcome("users", call("users", USERS, search, access), "usersPage", manager ? null : "FORBIDDEN");
                } else {
                    // Log in again (a second session), then log the first one out.
                    String previous = refresh;
                    if (login()) {
                        revoke(previous);
                    }
                }
                if (THINK_MILLIS > 0) {
                    Hostile.sleep(THINK_MILLIS);
                }
            }
        }
    }

    int sessions(String clientUuid) {
        return admin.call("GET", "/clients/" + clientUuid + "/session-count", null).json().get("count").asInt();
    }

    @Test
    void clientsLoggingInRefreshingVerifyingAndListingConcurrently() throws InterruptedException {
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String username = unique("load");
            String id = admin.createUser(username, PASSWORD, null);
            if (i % 5 == 0) {
                admin.addRealmRoles(id, "manager");
            }
            usernames.add(username);
        }
        String clientUuid = admin.clientUuid("hasura-app");
        int sessionsBefore = sessions(clientUuid);

        CountDownLatch start = new CountDownLatch(1);
        long deadline = System.nanoTime() + DURATION.toNanos();
        List<Client> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Client client = new Client(usernames.get(i), i % 5 == 0, 7919L * (i + 1), start, deadline);
            clients.add(client);
            Thread thread = new Thread(client, "load-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long began = System.nanoTime();
        start.countDown();
        for (Thread thread : threads) {
            thread.join(DURATION.toMillis() + 300_000);
            assertTrue(!thread.isAlive(), thread.getName() + " finished");
        }
        double seconds = (System.nanoTime() - began) / 1e9;

        int sessionsAfter = sessions(clientUuid);
        long loginsDuringRun = logins.get();
        long revocationsDuringRun = revocations.get();
        for (Client client : clients) {
            if (client.refresh != null) {
                client.revoke(client.refresh);
            }
        }
        int sessionsAfterLogout = sessions(clientUuid);
        print(seconds, sessionsBefore, sessionsAfter, sessionsAfterLogout);

        long serverErrors = stats.values().stream().mapToLong(s -> s.serverErrors.get()).sum();
        long unexpected = stats.values().stream().mapToLong(s -> s.unexpected.get()).sum();
        assertEquals(0, serverErrors, "5xx answers: " + problems);
        assertEquals(0, stats("refresh").unexpected.get(), "failed refreshes: " + problems);
        assertEquals(0, unexpected, "unexpected answers: " + problems);
        assertTrue(stats("refresh").ok.get() > 0 && stats("verify").ok.get() > 0 && stats("whoami").ok.get() > 0
                && stats("users").ok.get() > 0 && stats("users").expectedRefusals.get() > 0, "every operation ran");
        assertEquals(loginsDuringRun - revocationsDuringRun, sessionsAfter - sessionsBefore,
                "sessions grew by exactly the logins made minus the sessions revoked (" + loginsDuringRun + " logins, "
                        + revocationsDuringRun + " revocations)");
        assertEquals(CLIENTS, sessionsAfter - sessionsBefore, "one live session per client");
        assertEquals(sessionsBefore, sessionsAfterLogout, "no session left once every client logged out");
    }

    void print(double seconds, int before, int after, int afterLogout) {
        StringBuilder table = new StringBuilder(String.format(
                "%n[GraphqlLoadIT] %d clients, %.1f s, think time %d ms; sessions of hasura-app: %d before, %d at the end, %d after "
                        + "logout; %d logins, %d revocations%n", CLIENTS, seconds, THINK_MILLIS, before, after, afterLogout,
                logins.get(), revocations.get()));
        table.append(String.format("%-8s %8s %8s %9s %10s %4s %8s %8s%n", "op", "count", "ok", "refused", "unexpected", "5xx",
                "p50 ms", "p99 ms"));
        long total = 0;
        for (String op : List.of("login", "refresh", "verify", "whoami", "users", "revoke")) {
            Stats s = stats(op);
            List<Long> sorted;
            synchronized (s.micros) {
                sorted = new ArrayList<>(s.micros);
            }
            Collections.sort(sorted);
            total += sorted.size();
            table.append(String.format("%-8s %8d %8d %9d %10d %4d %8.1f %8.1f%n", op, sorted.size(), s.ok.get(),
                    s.expectedRefusals.get(), s.unexpected.get(), s.serverErrors.get(), percentile(sorted, 50), percentile(sorted, 99)));
        }
        table.append(String.format("total    %8d requests, %.0f/s%n", total, total / seconds));
        System.out.print(table);
    }

    static double percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1000.0;
    }
}
