package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.github.keycloakhasura.bench.Pair.Sides;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Token issuance with the Hasura mapper's claims query (session variables from app data) on a warm cache against the
 * same mapper without it: the same refresh grant of the same users, clients whose {@code hasura} scopes differ in the
 * claims query options only. Hasura is played by an HTTP server in this process that answers every user's
 * {@code users_by_pk}; the TTL (an hour) outlasts the run, so after the first token of each user every token is a
 * cache hit (each user's first token checks the values are in it).
 */
final class BenchClaimsQuery {

    static final String WITH_CLAIMS_QUERY = "bench-hasura-claims";
    private static final String SCOPE_WITH_CLAIMS_QUERY = "hasura-with-claims-query";
    private static final String SERVICE_ACCOUNT = "hasura-sync";

    private final BenchRealm realm;
    private final String baseUrl;
    private final int workers;
    private HttpServer hasura;

    BenchClaimsQuery(BenchRealm realm, String baseUrl, int workers) {
        this.realm = realm;
        this.baseUrl = baseUrl;
        this.workers = workers;
    }

    private void setUp() {
        if (hasura != null) {
            return;
        }
        try {
            hasura = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] answer = "{\"data\":{\"users_by_pk\":{\"plan\":\"pro\",\"team_id\":7}}}".getBytes(StandardCharsets.UTF_8);
        hasura.createContext("/v1/graphql", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        // Started from a daemon thread, so its dispatcher thread is one too and never keeps the benchmark's JVM alive.
        Thread starter = new Thread(hasura::start, "bench-claims-hasura-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        KeycloakAdmin admin = realm.admin();
        if (admin.call("GET", "/clients?clientId=" + SERVICE_ACCOUNT, null).json().isEmpty()) {
            admin.createConfidentialClient(SERVICE_ACCOUNT);
        }
        List<String> scopes = new ArrayList<>();
        admin.call("GET", "/clients/" + admin.clientUuid(BenchRealm.WITH_MAPPER) + "/default-client-scopes", null)
                .json().forEach(scope -> scopes.add(scope.get("name").asText()));
        createScopeWithClaimsQuery(admin, "http://127.0.0.1:" + hasura.getAddress().getPort() + "/v1/graphql");
        realm.createPublicClient(WITH_CLAIMS_QUERY,
                scopes.stream().map(s -> s.equals("hasura") ? SCOPE_WITH_CLAIMS_QUERY : s).toList(), List.of());
    }

    /** The realm's {@code hasura} client scope with the Hasura mapper's claims query on. */
    private static void createScopeWithClaimsQuery(KeycloakAdmin admin, String url) {
        String id = null;
        for (JsonNode scope : admin.call("GET", "/client-scopes", null).json()) {
            if ("hasura".equals(scope.get("name").asText())) {
                id = scope.get("id").asText();
            }
        }
        ObjectNode copy = (ObjectNode) admin.call("GET", "/client-scopes/" + id, null).json();
        copy.remove("id");
        copy.put("name", SCOPE_WITH_CLAIMS_QUERY);
        for (JsonNode mapper : (ArrayNode) copy.path("protocolMappers")) {
            ((ObjectNode) mapper).remove("id");
            if ("hasura-claims-mapper".equals(mapper.path("protocolMapper").asText())) {
                ((ObjectNode) mapper.get("config")).put("hasura.claims-query.url", url)
                        .put("hasura.claims-query", "query($id: String!) { users_by_pk(id: $id) { plan team_id } }")
                        .put("hasura.claims-query.map", "users_by_pk.plan:plan,users_by_pk.team_id:team-id")
                        .put("hasura.claims-query.ttl", "3600")
                        // The cold first query (a loaded machine) must not refuse the warm-up's tokens; the measured
                        // requests are cache hits, which no timeout touches.
                        .put("hasura.claims-query.timeout", "10000");
            }
        }
        BenchRealm.ok(admin.call("POST", "/client-scopes", copy));
    }

    /** The same refresh grant, the Hasura mapper without vs. with the claims query (warm cache). */
    Sides issuance() {
        setUp();
        List<HttpRequest> without = new ArrayList<>();
        List<HttpRequest> with = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String plain = login(BenchRealm.WITH_MAPPER, w).get("refresh_token").asText();
            JsonNode tokens = login(WITH_CLAIMS_QUERY, w);
            String plan = Jwt.payload(tokens.get("access_token").asText()).path("https://hasura.io/jwt/claims").path("x-hasura-plan").asText();
            if (!"pro".equals(plan)) {
                throw new IllegalStateException("the claims query's values are not in the token: the pair would measure nothing");
            }
            String claims = tokens.get("refresh_token").asText();
            without.add(Requests.form(oidcUrl() + "/token", Map.of("grant_type", "refresh_token", "client_id", BenchRealm.WITH_MAPPER,
                    "refresh_token", plain), null));
            with.add(Requests.form(oidcUrl() + "/token", Map.of("grant_type", "refresh_token", "client_id", WITH_CLAIMS_QUERY,
                    "refresh_token", claims), null));
        }
        return new Sides(Requests.side(without, b -> b.contains("\"access_token\"")),
                Requests.side(with, b -> b.contains("\"access_token\"")));
    }

    private JsonNode login(String clientId, int w) {
        return Logins.retrying(realm, KeycloakServer.REALM, clientId, BenchRealm.worker(w), null);
    }

    private String oidcUrl() {
        return baseUrl + "/realms/" + KeycloakServer.REALM + "/protocol/openid-connect";
    }
}
