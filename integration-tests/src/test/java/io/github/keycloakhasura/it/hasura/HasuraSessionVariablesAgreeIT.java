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
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token's Hasura claims, the webhook's answer, {@code whoami { hasura profile { role } }} and
 * {@code profile { role }} of listed users are one computation, so they agree when the client's role scope hides a
 * role the user has: {@code hasura-app} (in a realm of its own made from the real export, the Hasura mapper of its
 * {@code hasura} client scope allowing user,manager with priority manager,user) has full scope off and a scope mapping
 * for realm role {@code user} only; the user holds {@code user} and {@code manager}. Everything must say {@code user},
 * never {@code manager}, which the client may not see.
 */
@ExtendWith(KeycloakExtension.class)
class HasuraSessionVariablesAgreeIT {

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
        realm = unique("it-session-vars");
        ObjectNode export = ExportRealms.copyNamed(realm);
        for (JsonNode client : export.get("clients")) {
            if (CLIENT.equals(client.path("clientId").asText())) {
                ((ObjectNode) client).put("fullScopeAllowed", false);
            }
        }
        // The export scope-maps user, manager, script and view-users onto the client: this realm's scope is set below.
        com.fasterxml.jackson.databind.node.ArrayNode scopeMappings = Http.JSON.createArrayNode();
        export.path("scopeMappings").forEach(m -> {
            if (!CLIENT.equals(m.path("client").asText())) {
                scopeMappings.add(m);
            }
        });
        export.set("scopeMappings", scopeMappings);
        export.remove("clientScopeMappings");
        admin = new KeycloakAdmin(server, realm);
        admin.importRealm(export);
        tokens = new Tokens(server, realm);
        // The client's role scope: realm role user, and realm-management view-users (so a viewer can read other users).
        String client = admin.clientUuid(CLIENT);
        arrange("/clients/" + client + "/scope-mappings/realm", List.of(role("/roles/user")));
        String realmManagement = admin.clientUuid("realm-management");
        arrange("/clients/" + client + "/scope-mappings/clients/" + realmManagement,
                List.of(role("/clients/" + realmManagement + "/roles/view-users")));
    }

    @AfterAll
    static void deleteRealm() {
        if (admin != null) {
            admin.deleteRealm();
        }
    }

    private static void arrange(String path, Object body) {
        Http.Response r = admin.call("POST", path, body);
        assertTrue(r.status() < 300, path + " -> " + r);
    }

    private static JsonNode role(String path) {
        Http.Response r = admin.call("GET", path, null);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    /** A user with realm roles user and manager; returns [id, username]. */
    private static String[] userAndManager() {
        String username = unique("both");
        String id = admin.createUser(username, PASSWORD, null);
        admin.addRealmRoles(id, "user", "manager");
        return new String[] {id, username};
    }

    private static String url(String path) {
        return server.baseUrl() + "/realms/" + realm + path;
    }

    private static Http.Response webhook(String bearer, String role) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/hasura/webhook"))).GET()
                .header("Authorization", "Bearer " + bearer);
        if (role != null) {
            b.header("X-Hasura-Role", role);
        }
        return Http.send(b);
    }

    private static JsonNode graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        Http.Response r = Http.json("POST", url("/graphql"), body, bearer);
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().path("errors").isMissingNode(), r.body());
        return r.json().get("data");
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    @Test
    void tokenWebhookWhoamiAndProfileRoleAllSayUserWhenTheClientMayNotSeeManager() {
        String[] user = userAndManager();
        String access = tokens.login(CLIENT, user[1], PASSWORD, "openid").get("access_token").asText();
        JsonNode payload = Jwt.payload(access);
        // The arrangement works: Keycloak's own role claims hide manager from this client.
        assertFalse(payload.at("/realm_access/roles").toString().contains("manager"), payload.toString());

        JsonNode claims = payload.get(NS);
        Http.Response unasked = webhook(access, null);
        Http.Response askedManager = webhook(access, "manager");
        JsonNode me = graphql("{ whoami { id hasura profile { role } } }", null, access).get("whoami");
        JsonNode own = graphql("query($id: ID!) { user(id: $id) { profile { role } } }", Map.of("id", user[0]), access);
        assertAll(
                () -> assertEquals(List.of("user"), strings(claims.get("x-hasura-allowed-roles")), "token: " + claims),
                () -> assertEquals("user", claims.get("x-hasura-default-role").asText(), "token: " + claims),
                () -> assertEquals(200, unasked.status(), unasked.toString()),
                () -> assertEquals("user", unasked.json().path("X-Hasura-Role").asText(), "webhook: " + unasked),
                () -> assertEquals(401, askedManager.status(), "webhook asked for manager: " + askedManager),
                () -> assertEquals(claims, me.get("hasura"), "whoami's hasura is the token's claims"),
                () -> assertEquals("user", me.at("/profile/role").asText(), "whoami's profile.role: " + me),
                () -> assertEquals("user", own.at("/user/profile/role").asText(), "user(own id).profile.role: " + own));
    }

    @Test
    void profileRoleOfAnotherUserAppliesTheCallersClientScopeToo() {
        // The viewer reads another user's record (realm-management view-users, in this client's scope).
        String viewer = unique("viewer");
        String viewerId = admin.createUser(viewer, PASSWORD, null);
        String realmManagement = admin.clientUuid("realm-management");
        admin.addClientRoles(viewerId, realmManagement, "view-users");
        String viewerToken = tokens.login(CLIENT, viewer, PASSWORD, "openid").get("access_token").asText();
        String[] other = userAndManager();

        JsonNode seen = graphql("query($id: ID!) { user(id: $id) { profile { role } } }", Map.of("id", other[0]), viewerToken);
        JsonNode otherClaims = Jwt.payload(tokens.login(CLIENT, other[1], PASSWORD, "openid").get("access_token").asText()).get(NS);
        assertEquals("user", otherClaims.get("x-hasura-default-role").asText(), otherClaims.toString());
        assertEquals("user", seen.at("/user/profile/role").asText(), "what the other user's own token says: " + seen);
    }
}
