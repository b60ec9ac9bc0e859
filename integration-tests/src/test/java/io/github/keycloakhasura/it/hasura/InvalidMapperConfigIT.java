package io.github.keycloakhasura.it.hasura;

import io.github.keycloakhasura.it.support.ExportRealms;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stored Hasura mapper configuration that makes no sense (imported: the admin console refuses to save it) gets one
 * answer everywhere: the HTTP endpoints that read it (jwt-config, ddn-auth-config in JWT mode, the webhook; DDN's
 * webhook mode only names the webhook) 409 {@code invalid_mapper_config}, the
 * GraphQL fields that need the mapper {@code INVALID_MAPPER_CONFIG} (the others still answer), and the token endpoint
 * keeps issuing tokens, without Hasura claims (Hasura refuses them). Never a 500.
 */
@ExtendWith(KeycloakExtension.class)
class InvalidMapperConfigIT {

    private static final String NS = "https://hasura.io/jwt/claims";
    private static final String PASSWORD = "Secret-pass-123";
    private static final String CLIENT = "hasura-app";

    private static KeycloakServer server;
    private static String realm;
    private static KeycloakAdmin admin;
    private static Tokens tokens;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) throws IOException {
        server = keycloak;
        realm = unique("it-bad-mapper");
        ObjectNode export = ExportRealms.copyNamed(realm);
        for (JsonNode scope : export.get("clientScopes")) {
            for (JsonNode mapper : scope.path("protocolMappers")) {
                if ("hasura-claims-mapper".equals(mapper.path("protocolMapper").asText())) {
                    ((ObjectNode) mapper.get("config")).put("hasura.claims.format", "yaml");
                }
            }
        }
        admin = new KeycloakAdmin(server, realm);
        admin.importRealm(export);
        tokens = new Tokens(server, realm);
    }

    @AfterAll
    static void deleteRealm() {
        if (admin != null) {
            admin.deleteRealm();
        }
    }

    private static String url(String path) {
        return server.baseUrl() + "/realms/" + realm + path;
    }

    private static String[] newUser() {
        String username = unique("bad-mapper");
        String id = admin.createUser(username, PASSWORD, null);
        admin.addRealmRoles(id, "user");
        return new String[] {id, username};
    }

    private static void assertConflict(Http.Response r, String what) {
        assertEquals(409, r.status(), what + ": " + r);
        assertEquals("invalid_mapper_config", r.json().path("error").asText(), what + ": " + r);
        assertTrue(r.json().path("error_description").asText().contains("yaml"), what + " names the bad value: " + r);
    }

    private static JsonNode graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        Http.Response r = Http.json("POST", url("/graphql"), body, bearer);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private static void assertFieldError(JsonNode answer, String path) {
        JsonNode error = answer.path("errors").path(0);
        assertEquals("INVALID_MAPPER_CONFIG", error.at("/extensions/code").asText(), answer.toString());
        assertEquals(path, error.path("path").toString().replaceAll("[\\[\\]\"]", "").replace(',', '.'), answer.toString());
        assertEquals(1, answer.path("errors").size(), answer.toString());
    }

    @Test
    void theTokenEndpointIssuesTokensWithoutHasuraClaims() {
        String[] user = newUser();
        Http.Response grant = tokens.passwordGrant(CLIENT, user[1], PASSWORD, "openid");
        assertEquals(200, grant.status(), "the token endpoint must keep working: " + grant);
        JsonNode payload = Jwt.payload(grant.json().get("access_token").asText());
        assertFalse(payload.has(NS), "no Hasura claims from a mapper with invalid options: " + payload);
        // The GraphQL login runs the same grant.
        JsonNode login = graphql("mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { payload } }",
                Map.of("u", user[1], "p", PASSWORD), null);
        assertTrue(login.path("errors").isMissingNode(), login.toString());
        assertFalse(login.at("/data/tokenAuth/payload").has(NS), login.toString());
    }

    @Test
    void httpEndpointsAnswer409InvalidMapperConfig() {
        String access = tokens.login(CLIENT, newUser()[1], PASSWORD, "openid").get("access_token").asText();
        assertAll(
                () -> assertConflict(Http.get(url("/hasura/jwt-config"), null), "jwt-config"),
                () -> assertConflict(Http.get(url("/hasura/ddn-auth-config"), null), "ddn-auth-config"),
                () -> assertConflict(Http.get(url("/hasura/webhook"), access), "webhook GET"),
                () -> assertConflict(Http.json("POST", url("/hasura/webhook"),
                        Map.of("headers", Map.of("Authorization", "Bearer " + access)), null), "webhook POST"));
    }

    @Test
    void graphqlFieldsThatNeedTheMapperAnswerInvalidMapperConfig() {
        String[] user = newUser();
        String access = tokens.login(CLIENT, user[1], PASSWORD, "openid").get("access_token").asText();
        JsonNode plain = graphql("{ whoami { id username } }", null, access);
        JsonNode hasura = graphql("{ whoami { id hasura } }", null, access);
        JsonNode profile = graphql("{ whoami { id profile { role } } }", null, access);
        JsonNode own = graphql("query($id: ID!) { user(id: $id) { id profile { role } } }", Map.of("id", user[0]), access);
        // Another user's record, as a manager reads it (computed for the manager's client without a session).
        String manager = unique("bad-mapper-manager");
        admin.addRealmRoles(admin.createUser(manager, PASSWORD, null), "manager");
        String managerToken = tokens.login(CLIENT, manager, PASSWORD, "openid").get("access_token").asText();
        JsonNode other = graphql("query($id: ID!) { user(id: $id) { id profile { role } } }", Map.of("id", user[0]), managerToken);
        assertAll(
                () -> assertTrue(plain.path("errors").isMissingNode(), "whoami without Hasura fields: " + plain),
                () -> assertEquals(user[0], plain.at("/data/whoami/id").asText(), plain.toString()),
                () -> assertFieldError(hasura, "whoami.hasura"),
                () -> assertEquals(user[0], hasura.at("/data/whoami/id").asText(), "the other fields answer: " + hasura),
                () -> assertFieldError(profile, "whoami.profile"),
                () -> assertFieldError(own, "user.profile"),
                () -> assertFieldError(other, "user.profile"),
                () -> assertEquals(user[0], other.at("/data/user/id").asText(), other.toString()));
    }
}
