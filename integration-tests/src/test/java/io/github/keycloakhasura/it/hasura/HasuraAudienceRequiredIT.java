package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hasura's claims stay out of ID tokens unless asked for, and Hasura is never configured to accept tokens without an
 * audience by accident: a new Hasura mapper offers "Add to ID token" off; {@code jwt-config} and {@code ddn-auth-config}
 * answer 409 {@code no_audience} (saying how to add one) for a client whose access tokens carry no audience, unless
 * {@code ?allowNoAudience=true}. The realm here is the export without its {@code hasura-audience} mapper, i.e. what the
 * README's "existing Keycloak" steps gave before they added one.
 */
@ExtendWith(KeycloakExtension.class)
class HasuraAudienceRequiredIT {

    private static KeycloakServer server;
    private static HasuraRealm realm;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        realm = HasuraRealm.imported(server, "it-no-audience", export -> {
            ArrayNode mappers = (ArrayNode) HasuraRealm.scope(export, "hasura").get("protocolMappers");
            for (int i = mappers.size() - 1; i >= 0; i--) {
                if ("oidc-audience-mapper".equals(mappers.get(i).path("protocolMapper").asText())) {
                    mappers.remove(i);
                }
            }
        });
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void aNewHasuraMapperIsOfferedWithIdTokensOff() {
        Http.Response info = Http.get(server.baseUrl() + "/admin/serverinfo", new KeycloakAdmin(server).token());
        assertEquals(200, info.status(), info.toString());
        JsonNode mapperType = null;
        for (JsonNode type : info.json().at("/protocolMapperTypes/openid-connect")) {
            if ("hasura-claims-mapper".equals(type.path("id").asText())) {
                mapperType = type;
            }
        }
        assertTrue(mapperType != null, "the Hasura mapper type is listed");
        Map<String, String> defaults = new java.util.HashMap<>();
        mapperType.get("properties").forEach(p -> defaults.put(p.path("name").asText(), p.path("defaultValue").asText()));
        assertEquals("false", defaults.get("id.token.claim"), "Add to ID token: " + defaults);
        assertEquals("true", defaults.get("access.token.claim"), "Add to access token: " + defaults);
    }

    @Test
    void withoutAnAudienceJwtConfigAndDdnAuthConfigAnswer409SayingHowToAddOne() {
        String access = realm.accessToken(realm.user(null, "user")[1]);
        assertFalse(Jwt.payload(access).toString().contains("\"hasura\""), "the arrangement: no audience " + Jwt.payload(access));
        assertAll(
                () -> assertNoAudience(realm.get("/hasura/jwt-config"), "jwt-config"),
                () -> assertNoAudience(realm.get("/hasura/jwt-config?allowNoAudience=false"), "jwt-config, false"),
                () -> assertNoAudience(realm.get("/hasura/ddn-auth-config"), "ddn-auth-config"),
                () -> assertNoAudience(realm.get("/hasura/ddn-auth-config?format=yaml&mode=jwt"), "ddn-auth-config yaml"));
    }

    @Test
    void allowNoAudienceDescribesTheClientWithoutAudience() {
        Http.Response jwt = realm.get("/hasura/jwt-config?allowNoAudience=true");
        assertEquals(200, jwt.status(), jwt.toString());
        assertFalse(jwt.json().has("audience"), jwt.toString());
        assertEquals("https://hasura.io/jwt/claims", jwt.json().path("claims_namespace").asText());
        Http.Response ddn = realm.get("/hasura/ddn-auth-config?allowNoAudience=true");
        assertEquals(200, ddn.status(), ddn.toString());
        assertTrue(ddn.json().at("/definition/mode/jwt/audience").isMissingNode(), ddn.toString());
        // Webhook mode checks no token claims itself: no audience needed.
        assertEquals(200, realm.get("/hasura/ddn-auth-config?mode=webhook").status());
        Http.Response bad = realm.get("/hasura/jwt-config?allowNoAudience=maybe");
        assertEquals(400, bad.status(), bad.toString());
        assertEquals("invalid_request", bad.json().path("error").asText());
    }

    private static void assertNoAudience(Http.Response r, String what) {
        assertEquals(409, r.status(), what + ": " + r);
        assertEquals("no_audience", r.json().path("error").asText(), what + ": " + r);
        String description = r.json().path("error_description").asText();
        assertTrue(description.contains("Audience") && description.contains("allowNoAudience=true"), what + ": " + r);
    }
}
