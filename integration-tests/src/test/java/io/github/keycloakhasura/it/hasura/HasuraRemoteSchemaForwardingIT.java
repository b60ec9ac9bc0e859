package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.keycloakhasura.it.hasura.HasuraHeaders.Header;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /realms/app/graphql} called the way Hasura calls a remote schema with {@code forward_client_headers: true}
 * (see {@link HasuraHeaders}, {@link HasuraSession}): the client's headers filtered as Hasura filters them, Hasura's
 * resolved session variables added, Hasura's own Content-Type and User-Agent.
 */
@ExtendWith(KeycloakExtension.class)
class HasuraRemoteSchemaForwardingIT {

    private static final String PASSWORD = "Secret-pass-123";
    private static final String USERS = "query { users { id username } }";
    private static final String WHOAMI = "query { whoami { id username roles } }";

    private static KeycloakServer server;
    private static KeycloakAdmin admin;
    private static Tokens tokens;
    private static boolean forwardClientHeaders;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) throws IOException {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
        Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
        JsonNode remote = new ObjectMapper(new YAMLFactory()).readTree(root.resolve("hasura/metadata/remote_schemas.yaml").toFile());
        forwardClientHeaders = remote.get(0).at("/definition/forward_client_headers").asBoolean(false);
    }

    /** What a browser app sends to Hasura, including headers a hostile client adds to claim a role or a user. */
    private static List<Header> browser(String bearer, String forgedRole) {
        List<Header> h = new ArrayList<>(List.of(
                new Header("Host", "hasura.example.test:8081"),
                new Header("Origin", "https://app.example.test"),
                new Header("Referer", "https://app.example.test/notes"),
                new Header("Accept", "application/graphql-response+json, application/json"),
                new Header("Accept-Encoding", "gzip, deflate, br"),
                new Header("Accept-Language", "en-GB"),
                new Header("Content-Type", "text/plain"),
                new Header("Content-Length", "4242"),
                new Header("User-Agent", "Mozilla/5.0 (hasura-forwarding-it)"),
                new Header("Cache-Control", "no-cache"),
                new Header("DNT", "1"),
                new Header("Cookie", "theme=dark"),
                new Header("X-Hasura-User-Id", "00000000-0000-0000-0000-000000000000")));
        if (bearer != null) {
            h.add(new Header("Authorization", "Bearer " + bearer));
        }
        if (forgedRole != null) {
            h.add(new Header("x-hasura-role", forgedRole));
        }
        return h;
    }

    private static Http.Response send(Map<String, String> headers, String query, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (variables != null) {
            body.put("variables", variables);
        }
        String json;
        try {
            json = Http.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.realmUrl() + "/graphql"))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return Http.send(b);
    }

    private static Http.Response throughHasura(List<Header> client, HasuraSession session, String query, Map<String, Object> variables) {
        return send(HasuraHeaders.remoteSchemaRequest(client, session.variables(), forwardClientHeaders), query, variables);
    }

    private static JsonNode data(Http.Response r) {
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().path("errors").isMissingNode(), r.body());
        return r.json().get("data");
    }

    private static String code(Http.Response r) {
        JsonNode errors = r.json().get("errors");
        assertNotNull(errors, r.body());
        return errors.get(0).path("extensions").path("code").asText();
    }

    private static String login(String username) {
        return tokens.login(KeycloakServer.CLIENT_ID, username, PASSWORD, null).get("access_token").asText();
    }

    @Test
    void forwardedRequestHasHasurasHeadersAndNoneOfTheClientsForgedOnes() {
        assertTrue(forwardClientHeaders, "remote_schemas.yaml is expected to forward client headers");
        String token = login(admin.newUser("fwd", PASSWORD));
        HasuraSession session = HasuraSession.fromAccessToken(token, null);
        Map<String, String> sent = HasuraHeaders.remoteSchemaRequest(browser(token, "manager"), session.variables(), true);
        for (String dropped : List.of("Origin", "Referer", "Accept", "Accept-Encoding", "Accept-Language", "Host",
                "Content-Length", "Cache-Control", "DNT")) {
            assertFalse(sent.containsKey(dropped), dropped + " must not be forwarded: " + sent);
        }
        assertEquals("application/json", sent.get("content-type"));
        assertEquals(HasuraHeaders.USER_AGENT, sent.get("user-agent"));
        assertEquals("hasura.example.test:8081", sent.get("X-Forwarded-Host"));
        assertEquals("Mozilla/5.0 (hasura-forwarding-it)", sent.get("X-Forwarded-User-Agent"));
        assertEquals("Bearer " + token, sent.get("authorization"));
        assertEquals("theme=dark", sent.get("cookie"));
        assertEquals("user", sent.get("x-hasura-role"), "the session's role, not the client's");
        assertEquals(Jwt.payload(token).get("sub").asText(), sent.get("x-hasura-user-id"), "the session's user, not the client's");
    }

    @Test
    void anonymousSignUpAndLoginAnswerThroughHasura() {
        String username = unique("fwd-signup");
        JsonNode created = data(throughHasura(browser(null, "manager"), HasuraSession.anonymous(),
                "mutation($u: String!, $p: String!, $e: String!) { createUser(username: $u, password: $p, email: $e) "
                        + "{ user { username roles } token } }",
                Map.of("u", username, "p", "Sign-up-pass-1", "e", username + "@example.test"))).get("createUser");
        assertEquals(username, created.at("/user/username").asText());
        assertFalse(created.at("/user/roles").toString().contains("manager"), created.toString());

        JsonNode login = data(throughHasura(browser(null, "manager"), HasuraSession.anonymous(),
                "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token payload refreshToken } }",
                Map.of("u", username, "p", "Sign-up-pass-1"))).get("tokenAuth");
        String token = login.get("token").asText();
        HasuraSession session = HasuraSession.fromAccessToken(token, null);
        assertNotNull(session, "Hasura finds its claims in the token: " + Jwt.payload(token));
        assertEquals("user", session.variables().get("x-hasura-role"));
        assertNull(HasuraSession.fromAccessToken(token, "manager"), "Hasura refuses a role the token does not allow");
    }

    @Test
    void whoamiAnswersForTheForwardedAuthorization() {
        String username = admin.newUser("fwd-who", PASSWORD);
        String token = login(username);
        HasuraSession session = HasuraSession.fromAccessToken(token, null);
        JsonNode me = data(throughHasura(browser(token, null), session, WHOAMI, null)).get("whoami");
        assertEquals(username, me.get("username").asText());
        assertEquals(session.variables().get("x-hasura-user-id"), me.get("id").asText(),
                "Hasura's x-hasura-user-id is the user the endpoint answers for");
    }

    @Test
    void managerListsUsersThroughHasura() {
        String token = login(admin.newUser("fwd-boss", PASSWORD, "manager"));
        HasuraSession session = HasuraSession.fromAccessToken(token, "manager");
        assertNotNull(session);
        JsonNode users = data(throughHasura(browser(token, "manager"), session, USERS, null)).get("users");
        assertTrue(users.isArray() && users.size() > 0, users.toString());
    }

    @Test
    void aClientSentManagerRoleNeverGrantsAnything() {
        String plainName = admin.newUser("fwd-plain", PASSWORD);
        String plain = login(plainName);
        String managerToken = login(admin.newUser("fwd-boss", PASSWORD, "manager"));
        String managerId = Jwt.payload(managerToken).get("sub").asText();

        // Through Hasura: the client's x-hasura-role is not forwarded; the session's (user) is.
        HasuraSession session = HasuraSession.fromAccessToken(plain, null);
        Http.Response viaHasura = throughHasura(browser(plain, "manager"), session, USERS, null);
        assertEquals("FORBIDDEN", code(viaHasura), viaHasura.body());

        // Straight at the endpoint, the way a client that bypasses Hasura would forge Hasura's session headers.
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("Content-Type", "application/json");
        forged.put("Authorization", "Bearer " + plain);
        forged.put("X-Hasura-Role", "manager");
        forged.put("X-Hasura-User-Id", managerId);
        forged.put("X-Hasura-Allowed-Roles", "{manager,user}");
        Http.Response direct = send(forged, USERS, null);
        assertEquals("FORBIDDEN", code(direct), direct.body());
        assertEquals(plainName, data(send(forged, WHOAMI, null)).at("/whoami/username").asText(),
                "whoami answers for the token, never for x-hasura-user-id");

        // No token at all, whatever role header comes with it (Hasura's own introspection sends x-hasura-role: admin).
        for (String role : List.of("manager", "admin")) {
            Http.Response anonymous = send(Map.of("Content-Type", "application/json", "x-hasura-role", role), USERS, null);
            assertEquals("UNAUTHENTICATED", code(anonymous), anonymous.body());
        }
    }
}
