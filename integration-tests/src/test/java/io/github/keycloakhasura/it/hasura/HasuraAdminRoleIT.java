package io.github.keycloakhasura.it.hasura;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hasura's {@code admin} role (every permission bypassed) is never issued unless the mapper's allowed roles list it:
 * not in the access token, not by the webhook, not as {@code profile.role}. Each case runs in a realm of its own, made
 * from the real realm export with one mapper setting changed, so the endpoints use that realm's {@code hasura-app}.
 */
@ExtendWith(KeycloakExtension.class)
class HasuraAdminRoleIT {

    private static final String NS = "https://hasura.io/jwt/claims";
    private static final String PASSWORD = "Secret-pass-123";

    private static KeycloakServer server;
    private static final List<KeycloakAdmin> REALMS = new ArrayList<>();

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
    }

    @AfterAll
    static void deleteRealms() {
        REALMS.forEach(KeycloakAdmin::deleteRealm);
    }

    /** A realm made from realm-export/app-realm.json whose Hasura mapper config is changed by {@code changes}. */
    private static Realm realm(Map<String, String> changes, String... removed) {
        String name = unique("it-admin-role");
        JsonNode export;
        try {
            export = Http.JSON.readTree(Path.of(System.getProperty("project.root", "..")).resolve("realm-export/app-realm.json").toFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        ((ObjectNode) export).put("realm", name);
        for (JsonNode scope : export.get("clientScopes")) {
            for (JsonNode mapper : scope.path("protocolMappers")) {
                if ("hasura-claims-mapper".equals(mapper.path("protocolMapper").asText())) {
                    ObjectNode config = (ObjectNode) mapper.get("config");
                    config.remove(List.of(removed));
                    changes.forEach(config::put);
                }
            }
        }
        KeycloakAdmin admin = new KeycloakAdmin(server, name);
        admin.importRealm(export);
        REALMS.add(admin);
        return new Realm(name, admin, new Tokens(server, name));
    }

    private record Realm(String name, KeycloakAdmin admin, Tokens tokens) {

        String url(String path) {
            return server.baseUrl() + "/realms/" + name + path;
        }

        /** A user with the realm roles (created when missing) and attributes; returns [id, username]. */
        String[] user(Map<String, List<String>> attributes, String... roles) {
            for (String role : roles) {
                if (admin.call("GET", "/roles/" + role, null).status() == 404) {
                    admin.createRealmRole(role);
                    // hasura-app's full scope is off in the export: a role reaches its tokens once in its scope.
                    admin.scopeRealmRoles("hasura-app", role);
                }
            }
            String username = unique("user");
            String id = admin.createUser(username, PASSWORD, attributes);
            if (roles.length > 0) {
                admin.addRealmRoles(id, roles);
            }
            return new String[] {id, username};
        }

        JsonNode login(String username) {
            return tokens.login("hasura-app", username, PASSWORD, "openid");
        }

        Http.Response webhook(String bearer, String role) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/hasura/webhook"))).GET()
                    .header("Authorization", "Bearer " + bearer);
            if (role != null) {
                b.header("X-Hasura-Role", role);
            }
            return Http.send(b);
        }

        JsonNode graphql(String query, Map<String, Object> variables, String bearer) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("query", query);
            body.put("variables", variables);
            Http.Response r = Http.json("POST", url("/graphql"), body, bearer);
            assertEquals(200, r.status(), r.toString());
            assertTrue(r.json().path("errors").isMissingNode(), r.body());
            return r.json().get("data");
        }

        /** whoami's profile.role with the user's token, and profile.role of the same user as a manager reads it. */
        List<String> profileRoles(String userId, String accessToken) {
            String manager = user(null, "manager")[1];
            String managerToken = login(manager).get("access_token").asText();
            JsonNode self = graphql("{ whoami { profile { role } } }", null, accessToken);
            JsonNode seen = graphql("query($id: ID!) { user(id: $id) { profile { role } } }", Map.of("id", userId), managerToken);
            List<String> roles = new ArrayList<>();
            roles.add(self.at("/whoami/profile/role").isNull() ? null : self.at("/whoami/profile/role").asText());
            roles.add(seen.at("/user/profile/role").isNull() ? null : seen.at("/user/profile/role").asText());
            return roles;
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    /** Asserts the user with a role that would be Hasura's admin gets no admin anywhere, and user instead. */
    private static void assertNoAdminAnywhere(Realm realm, String[] user) {
        String access = realm.login(user[1]).get("access_token").asText();
        JsonNode claims = Jwt.payload(access).get(NS);
        // Every place is checked even when an earlier one fails, so a regression shows everywhere it leaks.
        assertAll(
                () -> assertEquals(List.of("user"), strings(claims.get("x-hasura-allowed-roles")), "token: " + claims),
                () -> assertEquals("user", claims.get("x-hasura-default-role").asText(), "token: " + claims),
                () -> {
                    Http.Response asked = realm.webhook(access, "admin");
                    assertEquals(401, asked.status(), "webhook asked for admin: " + asked);
                },
                () -> {
                    Http.Response unasked = realm.webhook(access, null);
                    assertEquals(200, unasked.status(), unasked.toString());
                    assertEquals("user", unasked.json().get("X-Hasura-Role").asText(), "webhook: " + unasked);
                },
                () -> assertEquals(List.of("user", "user"), realm.profileRoles(user[0], access),
                        "profile.role of whoami and of user(id)"));
    }

    @Test
    void realmRoleNamedAdminIsNeverIssuedWithoutAnAllowList() {
        Realm realm = realm(Map.of(), "hasura.roles.allowed");
        // The user holds "admin" and even asks for it as default role through the override attribute.
        String[] user = realm.user(Map.of("hasura_default_role", List.of("admin")), "admin");
        assertNoAdminAnywhere(realm, user);
    }

    @Test
    void hasuraAdminIsNeverIssuedAfterPrefixStripping() {
        Realm realm = realm(Map.of("hasura.roles.prefix", "hasura-", "hasura.roles.prefix.strip", "true"),
                "hasura.roles.allowed");
        String[] user = realm.user(Map.of("hasura_default_role", List.of("admin")), "hasura-admin", "hasura-user");
        assertNoAdminAnywhere(realm, user);
    }

    @Test
    void adminIsIssuedWhenTheAllowedRolesListIt() {
        Realm realm = realm(Map.of("hasura.roles.allowed", "user,manager,admin", "hasura.roles.priority", "admin,manager,user"));
        String[] user = realm.user(null, "admin");
        String access = realm.login(user[1]).get("access_token").asText();
        JsonNode claims = Jwt.payload(access).get(NS);
        assertEquals(List.of("admin", "user"), strings(claims.get("x-hasura-allowed-roles")), claims.toString());
        assertEquals("admin", claims.get("x-hasura-default-role").asText());
        Http.Response asked = realm.webhook(access, "admin");
        assertEquals(200, asked.status(), asked.toString());
        assertEquals("admin", asked.json().get("X-Hasura-Role").asText());
        assertEquals(List.of("admin", "admin"), realm.profileRoles(user[0], access));
    }

    @Test
    void storedAdminFallbackIssuesNoHasuraClaimsRatherThanAdminAndNeverFails() {
        // Imported, so the admin console's check never ran: users without a prefixed role would fall back to admin.
        Realm realm = realm(Map.of("hasura.roles.prefix", "hasura-", "hasura.roles.fallback", "admin"), "hasura.roles.allowed");
        String[] plain = realm.user(null);
        Http.Response grant = realm.tokens().passwordGrant("hasura-app", plain[1], PASSWORD, "openid");
        assertEquals(200, grant.status(), "the token endpoint must keep working: " + grant);
        String access = grant.json().get("access_token").asText();
        assertAll(
                () -> assertNull(Jwt.payload(access).get(NS), "no Hasura role may be issued: " + Jwt.payload(access)),
                () -> assertEquals(401, realm.webhook(access, null).status(), "webhook"),
                () -> assertEquals(401, realm.webhook(access, "admin").status(), "webhook asked for admin"),
                () -> assertEquals(Arrays.asList(null, null), realm.profileRoles(plain[0], access),
                        "profile.role of whoami and of user(id)"));

        // A user with an allowed role is unaffected.
        String[] editor = realm.user(null, "hasura-editor");
        JsonNode claims = Jwt.payload(realm.login(editor[1]).get("access_token").asText()).get(NS);
        assertEquals(List.of("editor"), strings(claims.get("x-hasura-allowed-roles")));
        assertFalse(claims.toString().contains("admin"), claims.toString());
    }
}
