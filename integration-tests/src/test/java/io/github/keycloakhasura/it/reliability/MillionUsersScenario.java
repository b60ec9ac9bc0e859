package io.github.keycloakhasura.it.reliability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakCluster;
import io.github.keycloakhasura.it.support.KeycloakCluster.Node;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.PostgresServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.reliability.Figures.format;
import static io.github.keycloakhasura.it.reliability.Figures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 3 of {@code scripts/reliability.sh} (not a CI test: it is not named {@code *IT}): the user queries at
 * 1 000 and at a million users on PostgreSQL, one production-mode node. Users are written straight into Keycloak's
 * tables ({@link BulkUsers}: every column copied from a user the admin API created, so the rows are what Keycloak
 * itself writes), then read back through Keycloak's admin API and the GraphQL endpoint before anything is measured.
 *
 * <p>{@code -Dreliability.users} (1 000 000), {@code -Dreliability.small.users} (1 000),
 * {@code -Dreliability.window.seconds} (10) per query, {@code -Dreliability.threads} (2).
 */
class MillionUsersScenario {

    private static final String PASSWORD = "Secret-pass-123";

    @Test
    void userQueriesAtAMillionUsersStayWithinTheirTargets() throws Exception {
        // The extension's defaults (the ITs' server options set a page size of 25; the query asks for 50).
        Path target = Path.of(Harness.requiredProperty("project.build.directory"));
        try (PostgresServer postgres = PostgresServer.startOrSkip(target.resolve("keycloak-cluster-postgres"));
             KeycloakCluster cluster = KeycloakCluster.create(postgres,
                     List.of("--spi-realm-restapi-extension--graphql--allowed-clients=" + KeycloakServer.CLIENT_ID))) {
            run(cluster);
        }
    }

    private void run(KeycloakCluster cluster) throws Exception {
        int large = Integer.getInteger("reliability.users", 1_000_000);
        int small = Integer.getInteger("reliability.small.users", 1_000);
        Duration window = Duration.ofSeconds(Integer.getInteger("reliability.window.seconds", 10));
        int threads = Integer.getInteger("reliability.threads", 2);
        Node node = cluster.start("a");
        PostgresServer db = cluster.database();
        KeycloakAdmin admin = new KeycloakAdmin(node);
        String manager = admin.newUser("manager", PASSWORD, "manager");
        BulkUsers bulk = BulkUsers.create(db, admin);

        bulk.insert(0, small);
        verifyKeycloakReads(node, admin, bulk, small);
        // One unmeasured pass of every query first, so the first size measured does not pay for the JIT.
        measure(node, manager, bulk, small, Duration.ofSeconds(3), threads);
        Map<String, LatencyProbe.Result> atSmall = measure(node, manager, bulk, small, window, threads);

        long t0 = System.nanoTime();
        bulk.insert(small, large);
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("MillionUsersScenario: %d users written in %.1f s%n", large - small, importSeconds);
        verifyKeycloakReads(node, admin, bulk, large);
        Map<String, LatencyProbe.Result> atLarge = measure(node, manager, bulk, large, window, threads);

        StringBuilder md = new StringBuilder();
        md.append(format("One production-mode node on PostgreSQL %s. Import: %s users in %.1f s (%.0f users/s) by SQL into "
                        + "Keycloak's own tables (`user_entity` rows copied column by column from a user the admin API created, "
                        + "with its role mappings; then `ANALYZE`), checked through Keycloak before measuring: the admin API's user "
                        + "count equals the table's, a written user has their username, email and effective roles (the default role "
                        + "`user`), the last one is found by username. Each query: %d clients, %d s after a 3 s warm-up (and one "
                        + "unmeasured pass of all four before the first size), every answer checked (`user` returns the user asked "
                        + "for, the search its 10 users, the join document 100 users).%n%n",
                db.psql("SHOW server_version"), String.format(java.util.Locale.ROOT, "%,d", large - small), importSeconds,
                (large - small) / importSeconds, threads, window.toSeconds()));
        md.append(row("query", "p50 at " + small, "p50 at " + large, "p99 at " + large, "ratio", "target", "met"));
        md.append(row("---", "---", "---", "---", "---", "---", "---"));
        Map<String, Double> targets = Map.of("users", 10.0, "usersPage", 10.0, "user", 5.0, "aliases", 50.0);
        for (String key : atSmall.keySet()) {
            LatencyProbe.Result s = atSmall.get(key);
            LatencyProbe.Result l = atLarge.get(key);
            double ratio = l.p50() / s.p50();
            boolean met = l.p50() < targets.get(key) && ratio <= 1.5;
            md.append(row(s.label(), format("%.2f ms", s.p50()), format("%.2f ms", l.p50()), format("%.2f ms", l.p99()),
                    format("%.2f", ratio), format("p50 < %.0f ms, ratio ≤ 1.5", targets.get(key)), met ? "yes" : "no"));
        }
        Figures.report("million-users", md.toString());
    }

    private static Map<String, LatencyProbe.Result> measure(Node node, String manager, BulkUsers bulk, int users,
                                                            Duration window, int threads) throws Exception {
        System.out.println("MillionUsersScenario: measuring at " + users + " bulk users");
        String access = signIn(node, manager);
        List<String> ids = bulk.sampleIds(1000);
        LatencyProbe probe = new LatencyProbe(node.realmUrl() + "/graphql", access, threads);
        Duration warmup = Duration.ofSeconds(3);
        Map<String, LatencyProbe.Result> results = new LinkedHashMap<>();
        results.put("users", probe.measure("`users(first: 50) { id username email firstName lastName }`",
                r -> body("{ users(first: 50) { id username email firstName lastName } }"),
                b -> !b.contains("\"errors\"") && b.contains("\"username\""), warmup, window));
        results.put("usersPage", probe.measure("`usersPage(search: \"bulk-000NNN\", first: 50) { items { id username } hasNextPage endCursor }` (10 matches)",
                r -> body("{ usersPage(search: \"" + BulkUsers.prefix(r % Math.min(users, 1000) / 10) + "\", first: 50) "
                        + "{ items { id username } hasNextPage endCursor } }"),
                b -> !b.contains("\"errors\"") && count(b, "\"username\"") == 10, warmup, window));
        results.put("user", probe.measure("`user(id:) { id username email firstName lastName }`",
                r -> body("{ user(id: \"" + ids.get(r % ids.size()) + "\") { id username email firstName lastName } }"),
                b -> !b.contains("\"errors\"") && b.contains("\"bulk-"), warmup, window));
        results.put("aliases", probe.measure("Hasura's join document: 100 aliased `user(id:)`",
                r -> {
                    StringBuilder q = new StringBuilder("{");
                    for (int i = 0; i < 100; i++) {
                        q.append(" u").append(i).append(": user(id: \"").append(ids.get((r + i * 7) % ids.size()))
                                .append("\") { id username email firstName lastName }");
                    }
                    return body(q.append(" }").toString());
                },
                b -> !b.contains("\"errors\"") && count(b, "\"username\":\"bulk-") == 100, warmup, window));
        return results;
    }

    /** Keycloak sees the written users as its own: count, one user's fields and roles, GraphQL by id and by search. */
    private static void verifyKeycloakReads(Node node, KeycloakAdmin admin, BulkUsers bulk, int users) {
        assertEquals(bulk.countInRealm(), Integer.parseInt(admin.call("GET", "/users/count", null).body().strip()),
                "Keycloak's user count is the table's");
        String id = bulk.sampleIds(1).get(0);
        JsonNode user = admin.user(id);
        assertTrue(user.get("username").asText().startsWith("bulk-"), user.toString());
        assertEquals(user.get("username").asText() + "@example.test", user.get("email").asText());
        assertTrue(user.get("enabled").asBoolean());
        JsonNode roles = admin.call("GET", "/users/" + id + "/role-mappings/realm/composite", null).json();
        assertTrue(roles.toString().contains("\"name\":\"user\""), "the default role through the copied mappings: " + roles);
        JsonNode last = admin.call("GET", "/users?exact=true&username=" + BulkUsers.username(users - 1), null).json();
        assertEquals(1, last.size(), "the last written user is found by username");
    }

    private static String signIn(Node node, String username) {
        Http.Response r = Http.json("POST", node.realmUrl() + "/graphql", Map.of("query",
                "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }",
                "variables", Map.of("u", username, "p", PASSWORD)), null);
        assertEquals(200, r.status(), r.toString());
        return r.json().at("/data/tokenAuth/token").asText();
    }

    private static String body(String query) {
        try {
            return Http.JSON.writeValueAsString(Map.of("query", query));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    static List<String> list(String lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }
}
