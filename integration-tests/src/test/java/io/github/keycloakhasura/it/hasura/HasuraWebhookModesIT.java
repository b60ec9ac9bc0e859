package io.github.keycloakhasura.it.hasura;

import io.github.keycloakhasura.it.hasura.HasuraHeaders.Header;
import io.github.keycloakhasura.it.hasura.HasuraWebhookAnswer.Outcome;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /realms/app/hasura/webhook} called as Hasura calls an auth webhook (HASURA_GRAPHQL_AUTH_HOOK, modes GET
 * and POST, see {@link HasuraHeaders}) and its answers read as Hasura reads them ({@link HasuraWebhookAnswer}).
 */
@ExtendWith(KeycloakExtension.class)
class HasuraWebhookModesIT {

    private static final String PASSWORD = "Secret-pass-123";

    private static KeycloakServer server;
    private static KeycloakAdmin admin;
    private static Tokens tokens;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
    }

    private static String hook() {
        return server.realmUrl() + "/hasura/webhook";
    }

    /** The headers of a client's GraphQL request to Hasura. */
    private static List<Header> client(String authorizationName, String bearer, String role) {
        List<Header> h = new ArrayList<>(List.of(
                new Header("Host", "hasura.example.test"),
                new Header("Origin", "https://app.example.test"),
                new Header("Accept", "application/json"),
                new Header("Content-Type", "application/json; charset=utf-8"),
                new Header("Content-Length", "57"),
                new Header("User-Agent", "Mozilla/5.0 (webhook-it)"),
                new Header("Cookie", "theme=dark")));
        if (bearer != null) {
            h.add(new Header(authorizationName, "Bearer " + bearer));
        }
        if (role != null) {
            h.add(new Header("X-Hasura-Role", role));
        }
        return h;
    }

    private static HasuraWebhookAnswer get(List<Header> client) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hook())).GET();
        HasuraHeaders.webhookGet(client).forEach(b::header);
        return HasuraWebhookAnswer.read(Http.send(b));
    }

    /** Hasura's POST body: the client's headers, and the GraphQL request unless AUTH_HOOK_SEND_REQUEST_BODY is false. */
    private static HasuraWebhookAnswer post(List<Header> client, boolean sendRequestBody) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("headers", HasuraHeaders.webhookPostHeaders(client));
        if (sendRequestBody) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("operationName", "Notes");
            request.put("query", "query Notes($n: Int) { notes(limit: $n) { id title } }");
            request.put("variables", Map.of("n", 10));
            body.put("request", request);
        }
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(hook()))
                    .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(body)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        HasuraHeaders.webhookPost().forEach(b::header);
        return HasuraWebhookAnswer.read(Http.send(b));
    }

    private static String login(String username) {
        return tokens.login(KeycloakServer.CLIENT_ID, username, PASSWORD, null).get("access_token").asText();
    }

    private static void assertUserSession(HasuraWebhookAnswer answer, String token, String role) {
        assertEquals(Outcome.SESSION, answer.outcome(), String.valueOf(answer));
        assertNull(answer.problem(), "Hasura would log: " + answer.problem());
        assertEquals(role, answer.variable("x-hasura-role"));
        assertEquals(Jwt.payload(token).get("sub").asText(), answer.variable("x-hasura-user-id"));
        if (answer.expiry() != null) {
            // Hasura caches the session until then: never past the token's own expiry.
            long exp = Jwt.payload(token).get("exp").asLong();
            assertTrue(!answer.expiry().isAfter(Instant.ofEpochSecond(exp).plusSeconds(1)), answer + " exp " + exp);
            assertTrue(answer.expiry().isAfter(Instant.now().minusSeconds(1)), answer.toString());
        }
    }

    @Test
    void getModeGivesHasuraAUsersSession() {
        String token = login(admin.newUser("hook-get", PASSWORD));
        assertUserSession(get(client("Authorization", token, null)), token, "user");
    }

    @Test
    void getModeLetsTheClientPickOnlyAnAllowedRoleAndNeverAdmin() {
        String manager = login(admin.newUser("hook-boss", PASSWORD, "manager"));
        String plain = login(admin.newUser("hook-plain", PASSWORD));
        assertUserSession(get(client("Authorization", manager, null)), manager, "manager");
        assertUserSession(get(client("Authorization", manager, "user")), manager, "user");
        assertEquals(Outcome.UNAUTHORIZED, get(client("Authorization", plain, "manager")).outcome());
        assertEquals(Outcome.UNAUTHORIZED, get(client("Authorization", manager, "admin")).outcome());
        assertEquals(Outcome.UNAUTHORIZED, get(client("Authorization", plain, "admin")).outcome());
    }

    @Test
    void postModeReadsHasurasBodyWithOrWithoutTheRequest() {
        String token = login(admin.newUser("hook-post", PASSWORD));
        assertUserSession(post(client("Authorization", token, null), true), token, "user");
        assertUserSession(post(client("Authorization", token, null), false), token, "user");
        // Hasura keeps header names as the client spelled them (HTTP/2 clients send lower case).
        assertUserSession(post(client("authorization", token, null), true), token, "user");
        assertUserSession(post(client("AUTHORIZATION", token, null), true), token, "user");

        String manager = login(admin.newUser("hook-post-boss", PASSWORD, "manager"));
        assertUserSession(post(client("Authorization", manager, null), true), manager, "manager");
        assertUserSession(post(client("Authorization", manager, "user"), true), manager, "user");
        assertEquals(Outcome.UNAUTHORIZED, post(client("Authorization", manager, "admin"), true).outcome());
    }

    @Test
    void refusalsAreUnauthorizedNeverAnErrorForHasura() {
        String username = admin.newUser("hook-refused", PASSWORD);
        String idToken = tokens.login(KeycloakServer.CLIENT_ID, username, PASSWORD, "openid").get("id_token").asText();
        List<List<Header>> refused = List.of(
                client("Authorization", null, null),
                client("Authorization", "not-a-token", null),
                client("Authorization", idToken, null));
        for (List<Header> c : refused) {
            HasuraWebhookAnswer viaGet = get(c);
            assertEquals(Outcome.UNAUTHORIZED, viaGet.outcome(), c + " -> " + viaGet);
            HasuraWebhookAnswer viaPost = post(c, true);
            assertEquals(Outcome.UNAUTHORIZED, viaPost.outcome(), c + " -> " + viaPost);
        }
        // A POST whose body Hasura would never send is still a clean refusal, not a 5xx.
        Http.Response empty = Http.json("POST", hook(), Map.of("request", Map.of("query", "{ x }")), null);
        assertEquals(401, empty.status(), empty.toString());
    }

    @Test
    void readerRejectsAnswersHasuraRejects() {
        // The reader itself: what Hasura would turn into an error for its client.
        assertEquals(Outcome.ERROR, HasuraWebhookAnswer.read(new Http.Response(200, Map.of(), "{\"X-Hasura-User-Id\":\"1\"}")).outcome());
        assertEquals(Outcome.ERROR, HasuraWebhookAnswer.read(new Http.Response(200, Map.of(), "{\"X-Hasura-Role\":\"user\",\"X-Hasura-Org\":1}")).outcome());
        assertEquals(Outcome.ERROR, HasuraWebhookAnswer.read(new Http.Response(403, Map.of(), "{}")).outcome());
        assertEquals(Outcome.UNAUTHORIZED, HasuraWebhookAnswer.read(new Http.Response(401, Map.of(), "")).outcome());
        HasuraWebhookAnswer ok = HasuraWebhookAnswer.read(new Http.Response(200, Map.of(),
                "{\"X-Hasura-Role\":\"user\",\"Expires\":\"Tue, 01 Dec 2026 00:05:00 GMT\"}"));
        assertEquals(Outcome.SESSION, ok.outcome());
        assertEquals(Instant.parse("2026-12-01T00:05:00Z"), ok.expiry());
        assertFalse(ok.session().isEmpty());
    }
}
