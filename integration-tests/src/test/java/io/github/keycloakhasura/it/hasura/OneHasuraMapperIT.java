package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client has at most one Hasura claims mapper (its own or one of its client scopes'): with two, the token would
 * carry the last one Keycloak applies while the webhook, {@code whoami} and {@code jwt-config} read the first found.
 * A second is refused when saved (admin REST, which the admin console uses: 400 naming the other); one imported
 * anyway is an invalid configuration everywhere (409 {@code invalid_mapper_config}, {@code INVALID_MAPPER_CONFIG},
 * tokens without Hasura claims), never a guess.
 */
@ExtendWith(KeycloakExtension.class)
class OneHasuraMapperIT {

    private static final String NS = "https://hasura.io/jwt/claims";

    private static KeycloakServer server;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
    }

    private static Map<String, Object> secondMapper() {
        // An admin user in this realm would get admin from this one: the token and the webhook must not disagree.
        return KeycloakAdmin.hasuraMapper("second-hasura", Map.of("hasura.roles.allowed", "user,manager,admin",
                "hasura.roles.priority", "admin,manager,user"));
    }

    @Test
    void aSecondHasuraMapperIsRefusedWhenSavedOnTheClientOrOnAScopeItUses() {
        try (HasuraRealm realm = HasuraRealm.imported(server, "it-one-mapper-save", export -> { })) {
            String client = realm.admin.clientUuid(HasuraRealm.CLIENT);
            Http.Response onClient = realm.admin.call("POST", "/clients/" + client + "/protocol-mappers/models", secondMapper());
            assertEquals(400, onClient.status(), "the client's hasura scope has one already: " + onClient);
            assertTrue(onClient.body().contains("only one Hasura claims mapper") && onClient.body().contains("hasura-claims"),
                    onClient.body());

            String scope = realm.hasuraScopeId();
            String models = "/client-scopes/" + scope + "/protocol-mappers/models";
            Http.Response inScope = realm.admin.call("POST", models, secondMapper());
            assertEquals(400, inScope.status(), "the scope has one already: " + inScope);

            // Another scope, used by hasura-app as an optional scope, may not get one either.
            Http.Response created = realm.admin.call("POST", "/client-scopes",
                    Map.of("name", "extra", "protocol", "openid-connect"));
            assertEquals(201, created.status(), created.toString());
            String extra = created.header("Location").substring(created.header("Location").lastIndexOf('/') + 1);
            assertEquals(204, realm.admin.call("PUT", "/clients/" + client + "/optional-client-scopes/" + extra, null).status());
            Http.Response inOptional = realm.admin.call("POST", "/client-scopes/" + extra + "/protocol-mappers/models", secondMapper());
            assertEquals(400, inOptional.status(), "hasura-app may request scope extra: " + inOptional);

            // Changing the one mapper there is stays possible, as does a Hasura mapper on a client without one.
            ObjectNode mapper = realm.hasuraScopeMapper();
            ((ObjectNode) mapper.get("config")).put("hasura.roles.priority", "user,manager");
            assertEquals(204, realm.admin.call("PUT", models + "/" + mapper.get("id").asText(), mapper).status());
            Http.Response elsewhere = realm.admin.call("POST", "/clients/" + realm.admin.clientUuid("account")
                    + "/protocol-mappers/models", secondMapper());
            assertEquals(201, elsewhere.status(), elsewhere.toString());
        }
    }

    @Test
    void twoImportedHasuraMappersAreAnInvalidConfigurationEverywhere() {
        try (HasuraRealm realm = HasuraRealm.imported(server, "it-two-mappers",
                export -> HasuraRealm.addMapper(HasuraRealm.client(export), secondMapper()))) {
            realm.admin.createRealmRole("admin");
            String[] user = realm.user(null, "admin", "user");
            Http.Response grant = realm.tokens.passwordGrant(HasuraRealm.CLIENT, user[1], HasuraRealm.PASSWORD, "openid");
            assertEquals(200, grant.status(), "the token endpoint keeps working: " + grant);
            String access = grant.json().get("access_token").asText();
            JsonNode whoami = realm.graphql("{ whoami { id hasura } }", null, access);
            JsonNode profile = realm.graphql("{ whoami { id profile { role } } }", null, access);
            assertAll(
                    () -> assertFalse(Jwt.payload(access).has(NS), "no Hasura claims: " + Jwt.payload(access)),
                    () -> assertInvalid(realm.webhookGet(access, null), "webhook GET"),
                    () -> assertInvalid(realm.webhookGet(access, "admin"), "webhook GET as admin"),
                    () -> assertInvalid(realm.webhookPost(access, null), "webhook POST"),
                    () -> assertInvalid(realm.get("/hasura/jwt-config"), "jwt-config"),
                    () -> assertInvalid(realm.get("/hasura/ddn-auth-config"), "ddn-auth-config"),
                    () -> assertEquals("INVALID_MAPPER_CONFIG", whoami.at("/errors/0/extensions/code").asText(), whoami.toString()),
                    () -> assertEquals("INVALID_MAPPER_CONFIG", profile.at("/errors/0/extensions/code").asText(), profile.toString()));
        }
    }

    private static void assertInvalid(Http.Response r, String what) {
        assertEquals(409, r.status(), what + ": " + r);
        assertEquals("invalid_mapper_config", r.json().path("error").asText(), what + ": " + r);
        assertTrue(r.json().path("error_description").asText().contains("second-hasura"), what + " names both: " + r);
    }
}
