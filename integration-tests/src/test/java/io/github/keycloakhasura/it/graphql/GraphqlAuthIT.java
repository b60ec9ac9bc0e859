package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed article's mutations (tokenAuth, verifyToken, refreshToken, revokeToken), against the real server. */
@ExtendWith(KeycloakExtension.class)
class GraphqlAuthIT {

    static final String NS = "https://hasura.io/jwt/claims";
    static final String PASSWORD = "Correct-Horse-9";

    static final String TOKEN_AUTH = "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) "
            + "{ token refreshToken payload refreshExpiresIn } }";
    static final String VERIFY = "mutation($t: String!) { verifyToken(token: $t) { payload } }";
    static final String REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token payload refreshToken refreshExpiresIn } }";
    static final String REVOKE = "mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }";

    static KeycloakServer server;
    static KeycloakAdmin admin;
    static Tokens tokens;
    static GraphqlClient graphql;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
        graphql = new GraphqlClient(keycloak);
    }

    static String newUser(String... roles) {
        return admin.newUser("gql", PASSWORD, roles);
    }

    static JsonNode login(String username, String password) {
        return data(graphql.post(TOKEN_AUTH, Map.of("u", username, "p", password), null)).get("tokenAuth");
    }

    @Test
    void seedTokenAuthReturnsKeycloakTokensWithTheMapperClaims() {
        String username = newUser();
        // The seed's request, literally.
        Http.Response response = graphql.post("mutation { tokenAuth(username: \"" + username + "\", password: \"" + PASSWORD
                + "\") { token refreshToken payload refreshExpiresIn } }");
        JsonNode result = data(response).get("tokenAuth");
        String token = result.get("token").asText();
        JsonNode payload = result.get("payload");
        assertEquals(Jwt.payload(token), payload, "payload is the access token's decoded claims");
        assertEquals("Bearer", payload.get("typ").asText());
        assertEquals("hasura-app", payload.get("azp").asText());
        assertEquals(server.issuer(), payload.get("iss").asText());
        assertEquals("user", payload.get(NS).get("x-hasura-default-role").asText());
        assertEquals(payload.get("sub").asText(), payload.get(NS).get("x-hasura-user-id").asText());
        assertEquals("Refresh", Jwt.payload(result.get("refreshToken").asText()).get("typ").asText());
        long sevenDays = Instant.now().getEpochSecond() + 7 * 24 * 3600;
        assertTrue(Math.abs(result.get("refreshExpiresIn").asLong() - sevenDays) < 120, result.toString());
        assertEquals(300, payload.get("exp").asLong() - payload.get("iat").asLong());
    }

    @Test
    void tokenAuthTokensHaveTheSameShapeAsTheTokenEndpoints() throws InterruptedException {
        String username = newUser("manager");
        JsonNode ours = Jwt.payload(login(username, PASSWORD).get("token").asText());
        settleBruteForceBookkeeping();
        JsonNode native_ = Jwt.payload(tokens.login("hasura-app", username, PASSWORD, null).get("access_token").asText());
        assertEquals(names(native_), names(ours));
        assertEquals(native_.get(NS), ours.get(NS));
        for (String claim : List.of("iss", "sub", "typ", "azp", "scope", "realm_access", "preferred_username", "email", "aud")) {
            assertEquals(native_.get(claim), ours.get(claim), claim);
        }
        assertEquals("manager", ours.get(NS).get("x-hasura-default-role").asText());
        settleBruteForceBookkeeping();
        JsonNode ourHeader = Jwt.header(login(username, PASSWORD).get("token").asText());
        settleBruteForceBookkeeping();
        JsonNode nativeHeader = Jwt.header(tokens.login("hasura-app", username, PASSWORD, null).get("access_token").asText());
        assertEquals(nativeHeader, ourHeader, "signed with the same realm key");
    }

    /**
     * Keycloak's brute-force protector records logins on a background thread; a login of the same user right after
     * another can be refused until it has (at the token endpoint too), so back-to-back logins wait past the realm's
     * quick-login window (1 s).
     */
    private static void settleBruteForceBookkeeping() throws InterruptedException {
        Thread.sleep(1100);
    }

    @Test
    void tokenAuthHonoursTheScopeAndClientArguments() {
        String username = newUser();
        // An allowed client of the test server (allowed-clients), not hasura-app.
        String clientId = KeycloakExtension.ALLOWED_PRIORITY_CLIENT;
        admin.ensureClient(clientId, List.of(KeycloakAdmin.hasuraMapper("hasura-claims",
                Map.of("hasura.roles.priority", "manager,user"))), null, true);
        JsonNode result = data(graphql.post("mutation($u: String!, $p: String!, $c: String) { tokenAuth(username: $u, "
                + "password: $p, clientId: $c, scope: \"openid\") { token idToken } }",
                Map.of("u", username, "p", PASSWORD, "c", clientId), null)).get("tokenAuth");
        assertEquals(clientId, Jwt.payload(result.get("token").asText()).get("azp").asText());
        assertEquals("ID", Jwt.payload(result.get("idToken").asText()).get("typ").asText());
        assertTrue(Jwt.payload(result.get("token").asText()).get("scope").asText().contains("openid"));
    }

    @Test
    void unknownUserWrongPasswordAndLockedUserGetOneIdenticalError() throws Exception {
        String username = newUser();
        Http.Response unknown = graphql.post(TOKEN_AUTH, Map.of("u", unique("nobody"), "p", PASSWORD), null);
        Http.Response wrong = graphql.post(TOKEN_AUTH, Map.of("u", username, "p", "wrong-password"), null);
        JsonNode unknownError = error(unknown, "UNAUTHENTICATED");
        JsonNode wrongError = error(wrong, "UNAUTHENTICATED");
        assertEquals(unknownError, wrongError);
        assertTrue(unknown.json().get("data").get("tokenAuth").isNull());

        // Brute force (failureFactor 5) applies, and a locked user still gets the same answer, even with the right password.
        for (int i = 0; i < 6; i++) {
            graphql.post(TOKEN_AUTH, Map.of("u", username, "p", "wrong-" + i), null);
        }
        String userId = admin.call("GET", "/users?exact=true&username=" + username, null).json().get(0).get("id").asText();
        JsonNode status = null;
        for (int i = 0; i < 50; i++) {
            status = admin.call("GET", "/attack-detection/brute-force/users/" + userId, null).json();
            if (status.get("disabled").asBoolean()) {
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(status.get("disabled").asBoolean(), "brute-force protection did not lock the user: " + status);
        Http.Response locked = graphql.post(TOKEN_AUTH, Map.of("u", username, "p", PASSWORD), null);
        assertEquals(wrongError, error(locked, "UNAUTHENTICATED"));
        Tokens.assertInvalidGrant(tokens.passwordGrant("hasura-app", username, PASSWORD, null), "token endpoint agrees");
    }

    @Test
    void pendingRequiredActionsWithAWrongPasswordAndDisabledAccountsAreRefusedTheSameWay() {
        String pending = newUser();
        String pendingId = admin.call("GET", "/users?exact=true&username=" + pending, null).json().get(0).get("id").asText();
        admin.updateUser(pendingId, Map.of("requiredActions", List.of("UPDATE_PASSWORD")));
        String disabled = newUser();
        String disabledId = admin.call("GET", "/users?exact=true&username=" + disabled, null).json().get(0).get("id").asText();
        admin.updateUser(disabledId, Map.of("enabled", false));

        JsonNode expected = error(graphql.post(TOKEN_AUTH, Map.of("u", unique("nobody"), "p", PASSWORD), null), "UNAUTHENTICATED");
        // With the right password a pending action is named (ACTION_REQUIRED, GraphqlAccountLoginIT); with a wrong one not.
        assertEquals(expected, error(graphql.post(TOKEN_AUTH, Map.of("u", pending, "p", PASSWORD + "-wrong"), null), "UNAUTHENTICATED"));
        assertEquals(expected, error(graphql.post(TOKEN_AUTH, Map.of("u", disabled, "p", PASSWORD), null), "UNAUTHENTICATED"));
    }

    @Test
    void loginsAreKeycloakEvents() {
        Map<String, Object> config = Map.of("eventsEnabled", true, "enabledEventTypes", List.of());
        JsonNode before = admin.call("GET", "/events/config", null).json();
        admin.call("PUT", "/events/config", config);
        try {
            String username = newUser();
            login(username, PASSWORD);
            graphql.post(TOKEN_AUTH, Map.of("u", username, "p", "nope-nope"), null);
            String userId = admin.call("GET", "/users?exact=true&username=" + username, null).json().get(0).get("id").asText();
            JsonNode events = admin.call("GET", "/events?user=" + userId, null).json();
            Set<String> types = new HashSet<>(events.findValuesAsText("type"));
            assertTrue(types.contains("LOGIN") && types.contains("LOGIN_ERROR"), events.toString());
            assertTrue(events.findValuesAsText("clientId").contains("hasura-app"), events.toString());
        } finally {
            admin.call("PUT", "/events/config", Map.of("eventsEnabled", before.get("eventsEnabled").asBoolean()));
        }
    }

    @Test
    void verifyTokenReturnsThePayloadOfAValidToken() {
        String token = login(newUser(), PASSWORD).get("token").asText();
        // The seed's request, literally.
        JsonNode payload = data(graphql.post("mutation { verifyToken(token: \"" + token + "\") { payload } }"))
                .get("verifyToken").get("payload");
        assertEquals(Jwt.payload(token), payload);
    }

    @Test
    void verifyTokenRefusesTamperedNoneAlgorithmRefreshOtherRealmAndGarbageTokens() {
        JsonNode login = login(newUser(), PASSWORD);
        String token = login.get("token").asText();
        String[] parts = token.split("\\.");
        String forgedPayload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"user\"", "\"manager\"");
        String tampered = parts[0] + "." + b64(forgedPayload) + "." + parts[2];
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        String otherRealm = admin.token();
        for (String bad : List.of(tampered, none, login.get("refreshToken").asText(), otherRealm, "garbage", "a.b.c")) {
            Http.Response r = graphql.post(VERIFY, Map.of("t", bad), null);
            error(r, "UNAUTHENTICATED");
            assertTrue(r.json().get("data").get("verifyToken").isNull());
        }
    }

    @Test
    void verifyTokenRefusesExpiredTokens() throws Exception {
        String clientId = KeycloakExtension.ALLOWED_SHORT_CLIENT;
        admin.ensureClient(clientId, List.of(KeycloakAdmin.hasuraMapper("hasura-claims", Map.of())),
                Map.of("access.token.lifespan", "1"), true);
        String username = newUser();
        String token = data(graphql.post("mutation($u: String!, $p: String!, $c: String) { tokenAuth(username: $u, "
                + "password: $p, clientId: $c) { token } }", Map.of("u", username, "p", PASSWORD, "c", clientId), null))
                .get("tokenAuth").get("token").asText();
        Thread.sleep(2500);
        error(graphql.post(VERIFY, Map.of("t", token), null), "UNAUTHENTICATED");
    }

    @Test
    void refreshTokenIssuesNewTokens() {
        JsonNode login = login(newUser(), PASSWORD);
        // The seed's request, literally.
        JsonNode refreshed = data(graphql.post("mutation { refreshToken(refreshToken: \"" + login.get("refreshToken").asText()
                + "\") { token payload refreshToken refreshExpiresIn } }")).get("refreshToken");
        assertNotEquals(login.get("token").asText(), refreshed.get("token").asText());
        assertEquals(Jwt.payload(refreshed.get("token").asText()), refreshed.get("payload"));
        assertEquals(login.get("payload").get("sub"), refreshed.get("payload").get("sub"));
        assertEquals("user", refreshed.get("payload").get(NS).get("x-hasura-default-role").asText());
        assertTrue(refreshed.get("refreshExpiresIn").asLong() > Instant.now().getEpochSecond());
        // and the new access token is good
        data(graphql.post(VERIFY, Map.of("t", refreshed.get("token").asText()), null));
    }

    @Test
    void refreshTokenRefusesGarbageAndAccessTokens() {
        JsonNode login = login(newUser(), PASSWORD);
        error(graphql.post(REFRESH, Map.of("r", "garbage"), null), "UNAUTHENTICATED");
        error(graphql.post(REFRESH, Map.of("r", login.get("token").asText()), null), "UNAUTHENTICATED");
    }

    @Test
    void refreshTokenHonoursTheRealmsRotationRules() {
        JsonNode realm = admin.realm();
        admin.call("PUT", "", Map.of("revokeRefreshToken", true, "refreshTokenMaxReuse", 0));
        try {
            JsonNode login = login(newUser(), PASSWORD);
            Map<String, Object> vars = Map.of("r", login.get("refreshToken").asText());
            JsonNode first = data(graphql.post(REFRESH, vars, null)).get("refreshToken");
            assertNotEquals(login.get("refreshToken").asText(), first.get("refreshToken").asText());
            error(graphql.post(REFRESH, vars, null), "UNAUTHENTICATED");
        } finally {
            admin.call("PUT", "", Map.of("revokeRefreshToken", realm.get("revokeRefreshToken").asBoolean(),
                    "refreshTokenMaxReuse", realm.get("refreshTokenMaxReuse").asInt()));
        }
    }

    @Test
    void revokedRefreshTokensNoLongerRefreshAndTheirAccessTokensNoLongerVerify() {
        JsonNode login = login(newUser(), PASSWORD);
        String refresh = login.get("refreshToken").asText();
        // The seed's request, literally.
        JsonNode revoked = data(graphql.post("mutation { revokeToken(refreshToken: \"" + refresh + "\") { revoked } }"))
                .get("revokeToken");
        assertTrue(Math.abs(revoked.get("revoked").asLong() - Instant.now().getEpochSecond()) < 120, revoked.toString());

        error(graphql.post(REFRESH, Map.of("r", refresh), null), "UNAUTHENTICATED");
        assertEquals(400, tokens.refresh("hasura-app", refresh).status(), "the token endpoint agrees");
        error(graphql.post(VERIFY, Map.of("t", login.get("token").asText()), null), "UNAUTHENTICATED");
        error(graphql.post(REVOKE, Map.of("r", refresh), null), "UNAUTHENTICATED");
        error(graphql.post(REVOKE, Map.of("r", "garbage"), null), "UNAUTHENTICATED");
    }

    static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes());
    }

    static void assertNoTokens(JsonNode data) {
        assertFalse(data.toString().contains("eyJ"), data.toString());
    }
}
