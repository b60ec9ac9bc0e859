package io.github.keycloakhasura.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakCluster;
import io.github.keycloakhasura.it.support.KeycloakCluster.Node;
import io.github.keycloakhasura.it.support.KeycloakClusterExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.Http.params;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Scaling out and restarts: two Keycloak nodes (production mode, one PostgreSQL, Keycloak's own clustering) serve
 * one realm, and tokens outlive a restart of every node. The extension keeps no state of its own, so whatever node
 * a request reaches gives the same answer.
 *
 * <p>The nodes are slow to start on small machines, so one class shares them; the restart test runs last because it
 * stops them.
 */
@ExtendWith(KeycloakClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String NS = "https://hasura.io/jwt/claims";
    private static final String CLIENT = KeycloakServer.CLIENT_ID;
    private static final String PASSWORD = "Secret-pass-123";

    private static KeycloakCluster cluster;
    private static Node a;
    private static Node b;
    private static KeycloakAdmin adminA;
    private static KeycloakAdmin adminB;

    @BeforeAll
    static void startTwoNodes(KeycloakCluster keycloakCluster) {
        cluster = keycloakCluster;
        a = cluster.start("a");
        b = cluster.start("b");
        adminA = new KeycloakAdmin(a);
        adminB = new KeycloakAdmin(b);
    }

    // ------------------------------------------------------------------------------------------ cluster

    @Test
    @Order(1)
    void theTwoNodesFormOneCluster() {
        assertNotEquals(a.baseUrl(), b.baseUrl());
        assertNotEquals(a.managementUrl(), b.managementUrl());
        assertNotEquals(a.clusterPort(), b.clusterPort());
        // Both nodes log the same two-member view (Infinispan's ISPN000094) ...
        await(Duration.ofSeconds(60), "both nodes see the view [a, b]", () ->
                a.clusterMembers().equals(List.of("a", "b")) && b.clusterMembers().equals(List.of("a", "b")));
        // ... and both are registered in jdbc-ping's discovery table in the shared database.
        await(Duration.ofSeconds(10), "jgroups_ping lists a and b", () ->
                "a\nb".equals(cluster.database().psql("SELECT name FROM jgroups_ping ORDER BY name")));
        // B caches the realm; a change made through A reaches B's cache (cluster-wide invalidation, not a re-read:
        // Keycloak's realm cache does not expire).
        adminB.realm();
        String displayName = unique("App");
        assertEquals(204, adminA.call("PUT", "", Map.of("displayName", displayName)).status());
        await(Duration.ofSeconds(10), "B serves the realm changed through A", () ->
                displayName.equals(adminB.realm().path("displayName").asText()));
    }

    @Test
    @Order(2)
    void aUserDisabledThroughAIsRefusedByTheWebhookOnB() {
        String username = unique("user");
        String userId = adminA.createUser(username, PASSWORD, null);
        String access = new Tokens(a).login(CLIENT, username, PASSWORD, "openid").get("access_token").asText();
        assertEquals(200, webhook(b, access).status(), "B caches the user");
        adminA.updateUser(userId, Map.of("enabled", false));
        Http.Response refused = webhook(b, access);
        assertEquals(401, refused.status(), refused.toString());
        assertEquals(401, webhook(a, access).status());
    }

    @Test
    @Order(3)
    void loginOnARefreshAndVerifyOnBRevokeOnBIsSeenOnA() {
        String username = unique("user");
        String userId = adminA.createUser(username, PASSWORD, null);

        JsonNode login = new Tokens(a).login(CLIENT, username, PASSWORD, "openid");
        String access = login.get("access_token").asText();
        String refresh = login.get("refresh_token").asText();
        JsonNode claims = Jwt.payload(access);
        assertEquals(cluster.publicUrl() + "/realms/app", claims.get("iss").asText(), "every node issues for the shared URL");
        assertHasuraClaims(claims, userId);
        String sid = claims.get("sid").asText();

        // The session created on A is listed by B.
        JsonNode sessions = adminB.call("GET", "/users/" + userId + "/sessions", null).json();
        assertEquals(1, sessions.size(), sessions.toString());
        assertEquals(sid, sessions.get(0).get("id").asText());

        // B refreshes A's refresh token, with the Hasura claims, in the same session.
        Http.Response refreshed = new Tokens(b).refresh(CLIENT, refresh);
        assertEquals(200, refreshed.status(), refreshed.toString());
        String accessFromB = refreshed.json().get("access_token").asText();
        String refreshFromB = refreshed.json().get("refresh_token").asText();
        JsonNode claimsFromB = Jwt.payload(accessFromB);
        assertHasuraClaims(claimsFromB, userId);
        assertEquals(sid, claimsFromB.get("sid").asText());

        // B verifies the access tokens issued by A and by itself; so does A.
        for (String token : List.of(access, accessFromB)) {
            for (Node node : List.of(a, b)) {
                Http.Response userinfo = new Tokens(node).userinfo(token);
                assertEquals(200, userinfo.status(), node.name() + ": " + userinfo);
                assertEquals(userId, userinfo.json().get("sub").asText());
                Http.Response hook = webhook(node, token);
                assertEquals(200, hook.status(), node.name() + ": " + hook);
                assertEquals(userId, hook.json().get("X-Hasura-User-Id").asText());
                assertEquals("user", hook.json().get("X-Hasura-Role").asText());
            }
        }

        // Revoked on B (logout of the session) ...
        Http.Response revoked = revoke(b, refreshFromB);
        assertEquals(200, revoked.status(), revoked.toString());

        // ... and at once refused on A: no refresh, no webhook, no userinfo; and on B alike.
        for (Node node : List.of(a, b)) {
            Http.Response again = new Tokens(node).refresh(CLIENT, refresh);
            assertEquals(400, again.status(), node.name() + ": " + again);
            assertEquals("invalid_grant", again.json().get("error").asText());
            assertEquals(401, webhook(node, access).status(), node.name());
            assertEquals(401, webhook(node, accessFromB).status(), node.name());
            assertEquals(401, new Tokens(node).userinfo(accessFromB).status(), node.name());
        }
        assertEquals(0, adminA.call("GET", "/users/" + userId + "/sessions", null).json().size());
        revokedBeforeRestart = refresh;
    }

    @Test
    @Order(4)
    void graphqlTokenAuthOnARefreshAndVerifyOnBRevokeOnB() {
        String username = unique("user");
        String userId = adminA.createUser(username, PASSWORD, null);

        JsonNode login = graphql(a, "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) "
                + "{ token refreshToken payload } }", Map.of("u", username, "p", PASSWORD)).get("tokenAuth");
        String refresh = login.get("refreshToken").asText();
        assertHasuraClaims(login.get("payload"), userId);

        JsonNode refreshed = graphql(b, "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken payload } }",
                Map.of("r", refresh)).get("refreshToken");
        assertHasuraClaims(refreshed.get("payload"), userId);
        String token = refreshed.get("token").asText();

        for (Node node : List.of(b, a)) {
            JsonNode verified = graphql(node, "mutation($t: String!) { verifyToken(token: $t) { payload } }",
                    Map.of("t", token)).get("verifyToken");
            assertEquals(userId, verified.get("payload").get("sub").asText(), node.name());
        }

        JsonNode revoke = graphql(b, "mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }",
                Map.of("r", refreshed.get("refreshToken").asText())).get("revokeToken");
        assertTrue(revoke.get("revoked").asLong() > 0);

        JsonNode refused = graphqlResponse(a, "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }",
                Map.of("r", refresh));
        assertEquals("UNAUTHENTICATED", refused.at("/errors/0/extensions/code").asText(), refused.toString());
        JsonNode notVerified = graphqlResponse(a, "mutation($t: String!) { verifyToken(token: $t) { payload } }",
                Map.of("t", token));
        assertEquals("UNAUTHENTICATED", notVerified.at("/errors/0/extensions/code").asText(), notVerified.toString());
        assertEquals(401, webhook(a, token).status());
    }

    /**
     * A production server (kc.sh start, as these nodes run) without app-url sends no account email link, although
     * the exported client has a root URL (http://localhost:3000, which a dev server would use).
     */
    @Test
    @Order(5)
    void aProductionNodeWithoutAppUrlSendsNoAccountLink() {
        JsonNode refused = graphqlResponse(a, "mutation($e: String!) { sendPasswordResetEmail(email: $e) { success } }",
                Map.of("e", unique("nobody") + "@example.test"));
        assertEquals("FORBIDDEN", refused.at("/errors/0/extensions/code").asText(), refused.toString());
        assertTrue(refused.at("/errors/0/message").asText().contains("app-url"), refused.toString());
    }

    // ------------------------------------------------------------------------------------------ restart

    private static String revokedBeforeRestart;

    @Test
    @Order(10)
    void tokensIssuedBeforeAFullRestartKeepWorkingAfterIt() {
        String username = unique("user");
        String userId = adminA.createUser(username, PASSWORD, null);
        JsonNode login = new Tokens(a).login(CLIENT, username, PASSWORD, "openid");
        String access = login.get("access_token").asText();
        String refresh = login.get("refresh_token").asText();
        String sid = Jwt.payload(access).get("sid").asText();
        JsonNode onB = new Tokens(b).login(CLIENT, username, PASSWORD, "openid");
        String refreshOnB = onB.get("refresh_token").asText();
        // Keycloak 26 keeps user sessions in the database (feature persistent-user-sessions, on by default), not
        // only in the nodes' caches: that is what makes them outlive the nodes.
        assertEquals("0", cluster.database().psql("SELECT offline_flag FROM offline_user_session WHERE user_session_id = '"
                + sid + "'"), "the session is persisted as an online session");

        Instant stopping = Instant.now();
        cluster.stopAll();
        assertFalse(a.running() || b.running(), "every node is stopped");
        Node restarted = cluster.start("a");
        System.out.printf("ClusterIT: all nodes stopped and node a restarted in %d s%n",
                Duration.between(stopping, Instant.now()).toSeconds());
        assertTrue(Jwt.payload(access).get("exp").asLong() > Instant.now().getEpochSecond(),
                "the access token must still be valid for this test (restart too slow?)");

        Tokens tokens = new Tokens(restarted);
        // The access token from before the restart is still accepted (same keys, session still alive) ...
        Http.Response userinfo = tokens.userinfo(access);
        assertEquals(200, userinfo.status(), userinfo.toString());
        Http.Response hook = webhook(restarted, access);
        assertEquals(200, hook.status(), hook.toString());
        assertEquals(userId, hook.json().get("X-Hasura-User-Id").asText());

        // ... both refresh tokens still refresh (the sessions were persisted, not only cached) ...
        for (String token : List.of(refresh, refreshOnB)) {
            Http.Response refreshed = tokens.refresh(CLIENT, token);
            assertEquals(200, refreshed.status(), refreshed.toString());
            assertHasuraClaims(Jwt.payload(refreshed.json().get("access_token").asText()), userId);
        }
        Http.Response refreshed = tokens.refresh(CLIENT, refresh);
        assertEquals(sid, Jwt.payload(refreshed.json().get("access_token").asText()).get("sid").asText());

        // ... and a session revoked before the restart stays revoked.
        if (revokedBeforeRestart != null) {
            assertEquals(400, tokens.refresh(CLIENT, revokedBeforeRestart).status());
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void assertHasuraClaims(JsonNode payload, String userId) {
        JsonNode hasura = payload.get(NS);
        assertTrue(hasura != null && hasura.isObject(), "no Hasura claims in " + payload);
        assertEquals(userId, hasura.get("x-hasura-user-id").asText());
        assertEquals("user", hasura.get("x-hasura-default-role").asText());
        assertEquals("[\"user\"]", hasura.get("x-hasura-allowed-roles").toString());
    }

    private static Http.Response webhook(Node node, String bearer) {
        return Http.get(node.realmUrl() + "/hasura/webhook", bearer);
    }

    private static Http.Response revoke(Node node, String refreshToken) {
        return Http.form(node.realmUrl() + "/protocol/openid-connect/revoke",
                params("token", refreshToken, "token_type_hint", "refresh_token", "client_id", CLIENT), null);
    }

    private static JsonNode graphqlResponse(Node node, String query, Map<String, Object> variables) {
        Http.Response r = Http.json("POST", node.realmUrl() + "/graphql", Map.of("query", query, "variables", variables), null);
        assertEquals(200, r.status(), node.name() + ": " + r);
        return r.json();
    }

    private static JsonNode graphql(Node node, String query, Map<String, Object> variables) {
        JsonNode response = graphqlResponse(node, query, variables);
        if (response.has("errors")) {
            fail(node.name() + ": " + response);
        }
        return response.get("data");
    }

    private static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("Timed out after " + timeout + " waiting until " + what + "; a: " + a.clusterMembers()
                        + " (" + a.log() + "), b: " + b.clusterMembers() + " (" + b.log() + ")");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
