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

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One set of allowed clients (the test server's {@code allowed-clients}: hasura-app and three it-allowed-* clients),
 * realms without the configured client, offline tokens, role scope, the registration flow and the webhook's expiry,
 * on the real server. Each test also shows the allowed path works, so a refusal is the boundary's, not a broken login.
 */
@ExtendWith(KeycloakExtension.class)
class TrustBoundaryIT {

    private static final String PASSWORD = GraphqlAuthIT.PASSWORD;
    private static final String TOKEN_AUTH_AT = "mutation($u: String!, $p: String!, $c: String, $s: String) { tokenAuth("
            + "username: $u, password: $p, clientId: $c, scope: $s) { token refreshToken } }";
    private static final String USERS = "{ users { username } }";
    private static final String WHOAMI = "{ whoami { username } }";

    private static KeycloakServer server;
    private static KeycloakAdmin admin;
    private static Tokens tokens;
    private static GraphqlClient graphql;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
        graphql = new GraphqlClient(keycloak);
    }

    private static String manager() {
        return admin.newUser("trust-mgr", PASSWORD, "manager");
    }

    private static Http.Response tokenAuth(String username, String clientId, String scope) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("u", username);
        variables.put("p", PASSWORD);
        variables.put("c", clientId);
        variables.put("s", scope);
        return graphql.post(TOKEN_AUTH_AT, variables, null);
    }

    private static Http.Response webhook(String bearer, String role) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.realmUrl() + "/hasura/webhook")).GET()
                .header("Authorization", "Bearer " + bearer);
        if (role != null) {
            b.header("X-Hasura-Role", role);
        }
        return Http.send(b);
    }

    @Test
    void tokensOfAClientOutsideAllowedClientsAreRefusedByEveryOperationAndTheWebhook() {
        String foreign = unique("it-foreign");
        admin.createClientWithHasuraMapper(foreign, Map.of(), null);
        JsonNode native_ = tokens.login(foreign, manager(), PASSWORD, null);
        String access = native_.get("access_token").asText();
        String refresh = native_.get("refresh_token").asText();
        assertEquals(foreign, Jwt.payload(access).get("azp").asText());

        error(tokenAuth(manager(), foreign, null), "UNAUTHENTICATED");
        error(graphql.post(GraphqlAuthIT.VERIFY, Map.of("t", access), null), "UNAUTHENTICATED");
        error(graphql.post(WHOAMI, null, access), "UNAUTHENTICATED");
        error(graphql.post(USERS, null, access), "UNAUTHENTICATED");
        error(graphql.post("query($id: ID!) { user(id: $id) { id } }", Map.of("id", "x"), access), "UNAUTHENTICATED");
        error(graphql.post(GraphqlAuthIT.REFRESH, Map.of("r", refresh), null), "UNAUTHENTICATED");
        error(graphql.post(GraphqlAuthIT.REVOKE, Map.of("r", refresh), null), "UNAUTHENTICATED");
        Http.Response hook = webhook(access, null);
        assertEquals(401, hook.status(), hook.toString());
        // The token itself is fine: Keycloak still refreshes it for its own client.
        assertEquals(200, tokens.refresh(foreign, refresh).status());

        // The same kind of user through the configured client: every operation works.
        JsonNode allowed = data(tokenAuth(manager(), null, null)).get("tokenAuth");
        String good = allowed.get("token").asText();
        data(graphql.post(GraphqlAuthIT.VERIFY, Map.of("t", good), null));
        data(graphql.post(USERS, null, good));
        assertEquals(200, webhook(good, null).status());
        data(graphql.post(GraphqlAuthIT.REFRESH, Map.of("r", allowed.get("refreshToken").asText()), null));
    }

    @Test
    void anAdminCliLoginGetsNoTokensAndNoHasuraRole() {
        String username = manager();
        JsonNode refused = error(tokenAuth(username, "admin-cli", null), "UNAUTHENTICATED");
        assertTrue(refused.get("message").asText().contains("admin-cli"), refused.toString());
        String adminCli = tokens.login("admin-cli", manager(), PASSWORD, null).get("access_token").asText();
        Http.Response hook = webhook(adminCli, null);
        assertEquals(401, hook.status(), hook.toString());
        assertEquals(401, webhook(adminCli, "manager").status());
    }

    @Test
    void theWebhookRefusesAnAllowedClientWithoutAHasuraMapper() {
        ensureScopedClient();
        String access = tokens.login(KeycloakExtension.ALLOWED_SCOPED_CLIENT, manager(), PASSWORD, null)
                .get("access_token").asText();
        data(graphql.post(GraphqlAuthIT.VERIFY, Map.of("t", access), null));
        Http.Response hook = webhook(access, null);
        assertEquals(401, hook.status(), hook.toString());
        assertTrue(hook.json().get("error_description").asText().contains("no Hasura claims mapper"), hook.toString());
    }

    @Test
    void aManagerWhoseTokenLacksTheRoleCannotListUsers() {
        ensureScopedClient();
        String username = manager();
        String scoped = data(tokenAuth(username, KeycloakExtension.ALLOWED_SCOPED_CLIENT, null)).get("tokenAuth").get("token").asText();
        assertTrue(Jwt.payload(scoped).path("realm_access").path("roles").toString().indexOf("manager") < 0,
                "the client's role scope keeps manager out of the token: " + Jwt.payload(scoped));
        assertEquals(username, data(graphql.post(WHOAMI, null, scoped)).get("whoami").get("username").asText());
        for (String query : List.of(USERS, "{ usersPage { totalCount } }", "query { user(id: \"x\") { id } }")) {
            error(graphql.post(query, null, scoped), "FORBIDDEN");
        }
        String full = data(tokenAuth(manager(), null, null)).get("tokenAuth").get("token").asText();
        data(graphql.post(USERS, null, full));
    }

    private static void ensureScopedClient() {
        admin.ensureClient(KeycloakExtension.ALLOWED_SCOPED_CLIENT, List.of(), null, false);
    }

    @Test
    void offlineTokensAreRefusedByDefault() {
        JsonNode refused = error(tokenAuth(admin.newUser("trust", PASSWORD), null, "openid offline_access"), "FORBIDDEN");
        assertTrue(refused.get("message").asText().contains("offline"), refused.toString());
        // The realm export gives hasura-app no offline_access scope: Keycloak's own endpoint refuses the scope too.
        Http.Response nativeOffline = tokens.passwordGrant("hasura-app", admin.newUser("trust", PASSWORD), PASSWORD, "openid offline_access");
        assertEquals("invalid_scope", nativeOffline.json().path("error").asText(), nativeOffline.toString());
        // Online logins are unaffected.
        data(tokenAuth(admin.newUser("trust", PASSWORD), null, "openid"));
    }

    @Test
    void everyEndpointRefusesTokensOfOfflineSessionsWhileOfflineTokensAreOff() {
        // An allowed client that still has offline_access (Keycloak's default optional scopes): Keycloak issues the
        // offline token at its own endpoint; no endpoint of the extension accepts it.
        String client = KeycloakExtension.ALLOWED_PRIORITY_CLIENT;
        admin.ensureClient(client, List.of(KeycloakAdmin.hasuraMapper("hasura-claims",
                Map.of("hasura.roles.priority", "manager,user"))), null, true);
        JsonNode offline = tokens.login(client, manager(), PASSWORD, "openid offline_access");
        assertEquals("Offline", Jwt.payload(offline.get("refresh_token").asText()).get("typ").asText());
        JsonNode online = tokens.login(client, manager(), PASSWORD, "openid");
        for (JsonNode login : List.of(offline, online)) {
            String access = login.get("access_token").asText();
            boolean accepted = login == online;
            String what = accepted ? "online token" : "offline token";
            assertEquals(accepted ? 200 : 401, webhook(access, null).status(), what + " at the webhook");
            assertEquals(accepted, ok(graphql.post(GraphqlAuthIT.VERIFY, Map.of("t", access), null)), what + " at verifyToken");
            assertEquals(accepted, ok(graphql.post(WHOAMI, null, access)), what + " at whoami");
            assertEquals(accepted, ok(graphql.post(USERS, null, access)), what + " at users");
        }
        error(graphql.post(GraphqlAuthIT.REFRESH, Map.of("r", offline.get("refresh_token").asText()), null), "FORBIDDEN");
        assertTrue(webhook(offline.get("access_token").asText(), null).json().path("error_description").asText()
                .contains("offline"), "the webhook says why");
        // Keycloak itself still honours it at its own endpoint: the refusal is the extension's.
        assertEquals(200, tokens.refresh(client, offline.get("refresh_token").asText()).status());
    }

    private static boolean ok(Http.Response r) {
        return r.status() == 200 && r.json().path("errors").isMissingNode();
    }

    @Test
    void endpointsExistOnlyInRealmsWithTheConfiguredClient() {
        Http.Response unknownExtension = Http.get(server.baseUrl() + "/realms/master/no-such-extension", null);
        for (String path : List.of("/realms/master/graphql?query=%7B__typename%7D", "/realms/master/hasura/jwks",
                "/realms/master/hasura/jwt-config")) {
            Http.Response r = Http.get(server.baseUrl() + path, null);
            assertEquals(404, r.status(), path + ": " + r);
            assertEquals(unknownExtension.body(), r.body(), "a plain 404, as for a path that does not exist");
        }
        Http.Response webhook = Http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/master/hasura/webhook"))
                .GET().header("Authorization", "Bearer " + admin.token()));
        assertEquals(404, webhook.status(), webhook.toString());

        String realm = unique("trust-realm");
        String realms = server.baseUrl() + "/admin/realms";
        assertEquals(201, Http.json("POST", realms, Map.of("realm", realm, "enabled", true), admin.token()).status());
        try {
            String graphqlUrl = server.baseUrl() + "/realms/" + realm + "/graphql?query=%7B__typename%7D";
            assertEquals(404, Http.get(graphqlUrl, null).status());
            assertEquals(404, Http.get(server.baseUrl() + "/realms/" + realm + "/hasura/jwks", null).status());
            assertEquals(201, Http.json("POST", realms + "/" + realm + "/clients",
                    Map.of("clientId", "hasura-app", "publicClient", true), admin.token()).status());
            assertEquals(200, Http.get(graphqlUrl, null).status());
            assertEquals(200, Http.get(server.baseUrl() + "/realms/" + realm + "/hasura/jwks", null).status());
        } finally {
            Http.json("DELETE", realms + "/" + realm, null, admin.token());
        }
    }

    @Test
    void signUpIsRefusedWhileTheRegistrationFlowHasTermsAndConditions() {
        JsonNode terms = null;
        for (JsonNode execution : admin.call("GET", "/authentication/flows/registration/executions", null).json()) {
            if ("registration-terms-and-conditions".equals(execution.path("providerId").asText())) {
                terms = execution;
            }
        }
        assertTrue(terms != null, "the stock registration flow has the terms-and-conditions step");
        String username = unique("trust-signup");
        Map<String, Object> variables = Map.of("u", username, "p", "Sign-up-pass-1", "e", username + "@example.org");
        Map<String, Object> required = jsonMap(terms);
        required.put("requirement", "REQUIRED");
        try {
            Http.Response put = admin.call("PUT", "/authentication/flows/registration/executions", required);
            assertTrue(put.status() / 100 == 2, put.toString());
            JsonNode refused = error(graphql.post(GraphqlSignUpIT.CREATE, variables, null), "FORBIDDEN");
            assertTrue(refused.get("message").asText().contains("registration-terms-and-conditions"), refused.toString());
            assertEquals(0, admin.call("GET", "/users?exact=true&username=" + username, null).json().size(),
                    "no account is created");
        } finally {
            Map<String, Object> disabled = jsonMap(terms);
            disabled.put("requirement", "DISABLED");
            admin.call("PUT", "/authentication/flows/registration/executions", disabled);
        }
        data(graphql.post(GraphqlSignUpIT.CREATE, variables, null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonMap(JsonNode node) {
        return new LinkedHashMap<>(Http.JSON.convertValue(node, Map.class));
    }

    @Test
    void theWebhookAnswerExpiresWithTheToken() {
        String access = tokens.login("hasura-app", admin.newUser("trust", PASSWORD), PASSWORD, null).get("access_token").asText();
        Http.Response hook = webhook(access, null);
        assertEquals(200, hook.status(), hook.toString());
        long exp = Jwt.payload(access).get("exp").asLong();
        String expected = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC).format(Instant.ofEpochSecond(exp));
        assertEquals(expected, hook.json().get("Expires").asText(), hook.toString());
        assertEquals(401, webhook(access, "manager").status(), "a role outside the allowed roles");
    }
}
