package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session variables from app data ({@code hasura.claims-query.*}) on the real Keycloak, with an in-test HTTP server
 * playing Hasura: the values reach the token, the webhook and {@code whoami { hasura }} alike; the service account
 * {@code hasura-sync}'s token is sent; the cache answers within the TTL and asks again after it; a timeout under
 * {@code closed} refuses the token (503 {@code temporarily_unavailable}, GraphQL {@code CLAIMS_UNAVAILABLE}, webhook
 * 503) and under {@code omit} leaves the variables out; reserved names are refused on save.
 */
@ExtendWith(KeycloakExtension.class)
class ClaimsQueryIT {

    private static final String NS = "https://hasura.io/jwt/claims";
    private static final String QUERY = "query($id: String!) { users_by_pk(id: $id) { plan team_id } }";
    private static final String MAP = "users_by_pk.plan:plan,users_by_pk.team_id:team-id";

    private static KeycloakServer server;
    private static AppHasura hasura;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) throws IOException {
        server = keycloak;
        hasura = AppHasura.start();
    }

    @AfterAll
    static void tearDown() {
        hasura.close();
    }

    @BeforeEach
    void healthyHasura() {
        hasura.delayMillis = 0;
    }

    private static HasuraRealm realm(String prefix, Map<String, String> options) {
        Map<String, String> config = new java.util.HashMap<>(Map.of("hasura.claims-query.url", hasura.url(),
                "hasura.claims-query", QUERY, "hasura.claims-query.map", MAP));
        config.putAll(options);
        return HasuraRealm.imported(server, prefix, export -> {
            HasuraRealm.hasuraMapperConfig(config).accept(export);
            ensureServiceAccountClient(export);
        });
    }

    /** The service account the claims query is sent with ({@code hasura-sync}), when the export has none yet. */
    private static void ensureServiceAccountClient(ObjectNode export) {
        for (JsonNode client : export.get("clients")) {
            if ("hasura-sync".equals(client.path("clientId").asText())) {
                return;
            }
        }
        ((com.fasterxml.jackson.databind.node.ArrayNode) export.get("clients")).add(Http.JSON.valueToTree(Map.of(
                "clientId", "hasura-sync", "enabled", true, "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false, "directAccessGrantsEnabled", false, "secret", "it-sync-secret")));
    }

    @Test
    void theAppsValuesAppearAlikeInTokenWebhookAndWhoamiSentWithTheServiceAccountsToken() {
        try (HasuraRealm realm = realm("it-claims-query", Map.of())) {
            String[] user = realm.user(Map.of(), "user");
            hasura.rows.put(user[0], Map.of("plan", "pro", "team_id", 7));
            String access = realm.accessToken(user[1]);
            JsonNode claims = Jwt.payload(access).get(NS);
            Http.Response webhook = realm.webhookGet(access, null);
            JsonNode whoami = realm.graphql("{ whoami { hasura } }", null, access);
            AppHasura.Call call = hasura.calls(user[0]).get(0);
            JsonNode bearer = Jwt.payload(call.bearer());
            assertAll(
                    () -> assertEquals("pro", claims.path("x-hasura-plan").asText(), claims.toString()),
                    () -> assertEquals("7", claims.path("x-hasura-team-id").asText(), claims.toString()),
                    () -> assertEquals("user", claims.path("x-hasura-default-role").asText(), claims.toString()),
                    () -> assertEquals(200, webhook.status(), webhook.toString()),
                    () -> assertEquals("pro", webhook.json().path("X-Hasura-Plan").asText(), webhook.toString()),
                    () -> assertEquals("7", webhook.json().path("X-Hasura-Team-Id").asText(), webhook.toString()),
                    () -> assertEquals(claims, whoami.at("/data/whoami/hasura"), whoami.toString()),
                    () -> assertEquals(QUERY, call.body().path("query").asText()),
                    () -> assertEquals(user[0], call.body().at("/variables/id").asText()),
                    () -> assertEquals("hasura-sync", bearer.path("azp").asText(), bearer.toString()),
                    () -> assertTrue(bearer.path("iss").asText().endsWith("/realms/" + realm.name), bearer.toString()));
        }
    }

    @Test
    void withinTheTtlTheCacheAnswersAfterItHasuraIsAskedAgain() throws InterruptedException {
        try (HasuraRealm realm = realm("it-claims-ttl", Map.of("hasura.claims-query.ttl", "3"))) {
            String[] user = realm.user(Map.of(), "user");
            hasura.rows.put(user[0], Map.of("plan", "free"));
            String first = realm.accessToken(user[1]);
            hasura.rows.put(user[0], Map.of("plan", "pro"));
            String second = realm.accessToken(user[1]);
            Http.Response webhook = realm.webhookGet(first, null);
            assertEquals(1, hasura.calls(user[0]).size(), "one query within the TTL");
            assertEquals("free", Jwt.payload(second).get(NS).path("x-hasura-plan").asText());
            assertEquals("free", webhook.json().path("X-Hasura-Plan").asText(), webhook.toString());
            Thread.sleep(3_100);
            String third = realm.accessToken(user[1]);
            assertEquals(2, hasura.calls(user[0]).size(), "asked again after the TTL");
            assertEquals("pro", Jwt.payload(third).get(NS).path("x-hasura-plan").asText());
            assertEquals("pro", realm.webhookGet(first, null).json().path("X-Hasura-Plan").asText(),
                    "the webhook reads the same fresh value for the older token");
            assertEquals(2, hasura.calls(user[0]).size());
        }
    }

    @Test
    void aTimeoutUnderClosedRefusesTheTokenWithAClearErrorEverywhere() {
        try (HasuraRealm realm = realm("it-claims-closed", Map.of("hasura.claims-query.timeout", "1000",
                "hasura.claims-query.ttl", "0"))) {
            String[] user = realm.user(Map.of(), "user");
            hasura.rows.put(user[0], Map.of("plan", "pro"));
            JsonNode before = realm.login(user[1]);
            String issuedBefore = before.get("access_token").asText();
            hasura.delayMillis = 3_000;
            Http.Response first = realm.tokens.passwordGrant(HasuraRealm.CLIENT, user[1], HasuraRealm.PASSWORD, "openid");
            // Keycloak's blocking brute-force protector holds the user until the login above is accounted for (on
            // another thread) and meanwhile refuses a login unchecked (400 invalid_grant): ask again once released.
            for (int i = 0; i < 30 && first.status() == 400; i++) {
                Harness.sleep(100);
                first = realm.tokens.passwordGrant(HasuraRealm.CLIENT, user[1], HasuraRealm.PASSWORD, "openid");
            }
            Http.Response grant = first;
            JsonNode login = realm.graphql("mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }",
                    Map.of("u", user[1], "p", HasuraRealm.PASSWORD), null);
            JsonNode refresh = realm.graphql("mutation($r: String!) { refreshToken(refreshToken: $r) { token } }",
                    Map.of("r", before.get("refresh_token").asText()), null);
            JsonNode change = realm.graphql("mutation($o: String!, $n: String!) { passwordChange(oldPassword: $o, "
                    + "newPassword: $n) { token } }", Map.of("o", HasuraRealm.PASSWORD, "n", "Changed-pass-987"), issuedBefore);
            Http.Response webhook = realm.webhookGet(issuedBefore, null);
            hasura.delayMillis = 0;
            Http.Response afterwards = realm.tokens.passwordGrant(HasuraRealm.CLIENT, user[1], HasuraRealm.PASSWORD, "openid");
            assertAll(
                    () -> assertEquals(503, grant.status(), grant.toString()),
                    () -> assertEquals("temporarily_unavailable", grant.json().path("error").asText(), grant.toString()),
                    () -> assertTrue(grant.json().path("error_description").asText().contains("within 1000 ms"), grant.toString()),
                    () -> assertFalse(grant.body().contains("access_token"), grant.toString()),
                    () -> assertEquals("CLAIMS_UNAVAILABLE", login.at("/errors/0/extensions/code").asText(), login.toString()),
                    () -> assertTrue(login.at("/errors/0/message").asText().contains("within 1000 ms"), login.toString()),
                    () -> assertTrue(login.at("/data/tokenAuth").isMissingNode() || login.at("/data/tokenAuth").isNull(), login.toString()),
                    () -> assertEquals("CLAIMS_UNAVAILABLE", refresh.at("/errors/0/extensions/code").asText(), refresh.toString()),
                    // A token issued in process (SessionTokens): no token, and the password change is rolled back.
                    () -> assertEquals("CLAIMS_UNAVAILABLE", change.at("/errors/0/extensions/code").asText(), change.toString()),
                    () -> assertEquals(200, afterwards.status(), "the old password still works: " + afterwards),
                    () -> assertEquals(503, webhook.status(), webhook.toString()),
                    () -> assertEquals("claims_unavailable", webhook.json().path("error").asText(), webhook.toString()));
        }
    }

    @Test
    void aTimeoutUnderOmitIssuesTheTokenWithoutTheVariables() {
        try (HasuraRealm realm = realm("it-claims-omit", Map.of("hasura.claims-query.timeout", "1000",
                "hasura.claims-query.ttl", "0", "hasura.claims-query.on-failure", "omit"))) {
            String[] user = realm.user(Map.of(), "user");
            hasura.rows.put(user[0], Map.of("plan", "pro"));
            hasura.delayMillis = 3_000;
            Http.Response grant = realm.tokens.passwordGrant(HasuraRealm.CLIENT, user[1], HasuraRealm.PASSWORD, "openid");
            assertEquals(200, grant.status(), grant.toString());
            String access = grant.json().get("access_token").asText();
            JsonNode claims = Jwt.payload(access).get(NS);
            Http.Response webhook = realm.webhookGet(access, null);
            assertAll(
                    () -> assertEquals("user", claims.path("x-hasura-default-role").asText(), claims.toString()),
                    () -> assertFalse(claims.has("x-hasura-plan"), claims.toString()),
                    () -> assertEquals(200, webhook.status(), webhook.toString()),
                    () -> assertEquals("user", webhook.json().path("X-Hasura-Role").asText(), webhook.toString()),
                    () -> assertFalse(webhook.json().has("X-Hasura-Plan"), webhook.toString()));
        }
    }

    @Test
    void aStoredReservedNameIsAnInvalidConfigurationWhenRead() {
        try (HasuraRealm realm = realm("it-claims-stored", Map.of("hasura.claims-query.map", "users_by_pk.plan:Role"))) {
            String[] user = realm.user(Map.of(), "user");
            hasura.rows.put(user[0], Map.of("plan", "admin"));
            Http.Response grant = realm.tokens.passwordGrant(HasuraRealm.CLIENT, user[1], HasuraRealm.PASSWORD, "openid");
            assertEquals(200, grant.status(), "the token endpoint keeps working: " + grant);
            String access = grant.json().get("access_token").asText();
            Http.Response webhook = realm.webhookGet(access, null);
            assertAll(
                    () -> assertFalse(Jwt.payload(access).has(NS), "no Hasura claims: " + Jwt.payload(access)),
                    () -> assertEquals(409, webhook.status(), webhook.toString()),
                    () -> assertEquals("invalid_mapper_config", webhook.json().path("error").asText(), webhook.toString()),
                    () -> assertTrue(webhook.json().path("error_description").asText().contains("reserves"), webhook.toString()),
                    () -> assertTrue(hasura.calls(user[0]).isEmpty(), "no query for a configuration that makes no sense"));
        }
    }

    @Test
    void reservedNamesAndNonsenseAreRefusedOnSaveWithAClearMessage() {
        try (HasuraRealm realm = HasuraRealm.imported(server, "it-claims-save", export -> { })) {
            String models = realm.hasuraScopeModels();
            for (String[] option : new String[][] {
                    {"hasura.claims-query.map", "users_by_pk.plan:role", "reserves"},
                    {"hasura.claims-query.map", "users_by_pk.plan:X-Hasura-Allowed-Roles", "reserves"},
                    {"hasura.claims-query.map", "users_by_pk.id:user-id", "reserves"},
                    {"hasura.claims-query.timeout", "soon", "timeout"},
                    {"hasura.claims-query.on-failure", "open", "closed"}}) {
                ObjectNode mapper = realm.hasuraScopeMapper();
                ObjectNode config = (ObjectNode) mapper.get("config");
                config.put("hasura.claims-query.url", hasura.url());
                config.put("hasura.claims-query", QUERY);
                config.put("hasura.claims-query.map", MAP);
                config.put(option[0], option[1]);
                Http.Response update = realm.admin.call("PUT", models + "/" + mapper.get("id").asText(), mapper);
                assertEquals(400, update.status(), option[0] + "=" + option[1] + ": " + update);
                assertTrue(update.body().contains(option[2]), update.body());
            }
            assertFalse(realm.hasuraScopeMapper().get("config").has("hasura.claims-query.url"), "nothing was stored");
            ObjectNode valid = realm.hasuraScopeMapper();
            ((ObjectNode) valid.get("config")).put("hasura.claims-query.url", hasura.url()).put("hasura.claims-query", QUERY)
                    .put("hasura.claims-query.map", MAP);
            Http.Response saved = realm.admin.call("PUT", models + "/" + valid.get("id").asText(), valid);
            assertEquals(204, saved.status(), saved.toString());
        }
    }

    /**
     * Hasura's GraphQL endpoint as far as the claims query sees it: answers {@code users_by_pk} from {@link #rows},
     * records every call (body and bearer token) per user id, optionally late.
     */
    static final class AppHasura implements AutoCloseable {

        record Call(JsonNode body, String bearer) {
        }

        final Map<String, Map<String, Object>> rows = new ConcurrentHashMap<>();
        private final Map<String, List<Call>> calls = new ConcurrentHashMap<>();
        volatile long delayMillis;
        private final HttpServer http;

        private AppHasura(HttpServer http) {
            this.http = http;
        }

        static AppHasura start() throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            AppHasura hasura = new AppHasura(http);
            http.createContext("/v1/graphql", hasura::handle);
            http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            http.start();
            return hasura;
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/v1/graphql";
        }

        List<Call> calls(String userId) {
            return calls.getOrDefault(userId, List.of());
        }

        private void handle(HttpExchange exchange) throws IOException {
            JsonNode body = Http.JSON.readTree(exchange.getRequestBody().readAllBytes());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String id = body.at("/variables/id").asText();
            calls.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                    .add(new Call(body, authorization == null ? "" : authorization.replaceFirst("^Bearer ", "")));
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Map<String, Object> row = rows.get(id);
            byte[] answer = Http.JSON.writeValueAsBytes(Map.of("data", java.util.Collections.singletonMap("users_by_pk", row)));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            } catch (IOException gone) {
                // the caller gave up (timeout tests)
            } finally {
                exchange.close();
            }
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
