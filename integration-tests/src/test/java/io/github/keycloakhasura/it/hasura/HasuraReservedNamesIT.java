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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No mapper option that names a session variable can produce one of Hasura's reserved names ({@code role},
 * {@code allowed-roles}, {@code default-role}, {@code user-id}…, any case, with or without {@code x-hasura-}): a
 * user attribute {@code team=admin} exported as {@code team:role} would otherwise make the webhook answer
 * {@code X-Hasura-Role: admin}. Refused when the mapper is saved (admin REST, 400) and when a stored one is read
 * (imported: 409 {@code invalid_mapper_config} from the webhook, never 200 with another role; no claims in tokens).
 */
@ExtendWith(KeycloakExtension.class)
class HasuraReservedNamesIT {

    private static final String NS = "https://hasura.io/jwt/claims";

    private static KeycloakServer server;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
    }

    @ParameterizedTest(name = "stored {0}={1}: the webhook never answers the attribute as X-Hasura-Role")
    @CsvSource(delimiter = '|', value = {
            "hasura.session-variables|team:role",
            "hasura.session-variables|team:X-Hasura-Role",
            "hasura.session-variables|org,team:x-hasura-ROLE",
            "hasura.groups.variable|role",
    })
    void aStoredReservedVariableNameIsAnInvalidConfigurationEverywhere(String option, String value) {
        try (HasuraRealm realm = HasuraRealm.imported(server, "it-reserved", HasuraRealm.hasuraMapperConfig(Map.of(option, value)))) {
            String admins = realm.admin.createGroup("admin");
            String[] user = realm.user(Map.of("team", List.of("admin"), "org", List.of("o1")), "user");
            realm.admin.joinGroup(user[0], admins);
            Http.Response grant = realm.tokens.passwordGrant(HasuraRealm.CLIENT, user[1], HasuraRealm.PASSWORD, "openid");
            assertEquals(200, grant.status(), "the token endpoint keeps working: " + grant);
            String access = grant.json().get("access_token").asText();
            Http.Response get = realm.webhookGet(access, "user");
            Http.Response getUnasked = realm.webhookGet(access, null);
            Http.Response post = realm.webhookPost(access, "user");
            JsonNode whoami = realm.graphql("{ whoami { id hasura } }", null, access);
            assertAll(
                    () -> assertFalse(Jwt.payload(access).has(NS), "no Hasura claims: " + Jwt.payload(access)),
                    () -> assertInvalid(get, "webhook GET with X-Hasura-Role: user"),
                    () -> assertInvalid(getUnasked, "webhook GET"),
                    () -> assertInvalid(post, "webhook POST"),
                    () -> assertEquals("INVALID_MAPPER_CONFIG", whoami.at("/errors/0/extensions/code").asText(), whoami.toString()));
        }
    }

    private static void assertInvalid(Http.Response r, String what) {
        assertEquals(409, r.status(), what + ": " + r);
        assertEquals("invalid_mapper_config", r.json().path("error").asText(), what + ": " + r);
        assertTrue(r.json().path("error_description").asText().contains("reserves"), what + ": " + r);
        assertFalse(r.body().contains("\"admin\""), what + ": " + r);
    }

    @Test
    void savingAReservedVariableNameIsRefusedWithAClearMessage() {
        try (HasuraRealm realm = HasuraRealm.imported(server, "it-reserved-save", export -> { })) {
            String models = realm.hasuraScopeModels();
            String otherClient = "/clients/" + realm.admin.clientUuid("account") + "/protocol-mappers/models";
            for (String[] option : new String[][] {
                    {"hasura.session-variables", "team:role"},
                    {"hasura.session-variables", "team:X-Hasura-Role"},
                    {"hasura.session-variables", "role"},
                    {"hasura.session-variables", "org,team:User-Id"},
                    {"hasura.groups.variable", "X-Hasura-Allowed-Roles"},
                    {"hasura.groups.variable", "default-role"}}) {
                ObjectNode mapper = realm.hasuraScopeMapper();
                ((ObjectNode) mapper.get("config")).put(option[0], option[1]);
                Http.Response update = realm.admin.call("PUT", models + "/" + mapper.get("id").asText(), mapper);
                assertEquals(400, update.status(), option[0] + "=" + option[1] + ": " + update);
                assertTrue(update.body().contains("reserves"), update.body());

                Http.Response create = realm.admin.call("POST", otherClient,
                        KeycloakAdmin.hasuraMapper("reserved", Map.of(option[0], option[1])));
                assertEquals(400, create.status(), option[0] + "=" + option[1] + ": " + create);
                assertTrue(create.body().contains("reserves"), create.body());
            }
            // Nothing was stored: the realm still issues its tokens with the export's options.
            assertFalse(realm.hasuraScopeMapper().get("config").has("hasura.session-variables"));
        }
    }
}
