package io.github.keycloakhasura.it.hasura;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Tokens judged as Hasura's JWT mode judges them when configured from {@code /hasura/jwt-config} ({@link HasuraJwtMode}). */
@ExtendWith(KeycloakExtension.class)
class HasuraJwtModeIT {

    private static final String PASSWORD = "Secret-pass-123";

    private static KeycloakServer server;
    private static KeycloakAdmin admin;
    private static Tokens tokens;
    private static JsonNode jwtConfig;
    private static String jwks;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
        jwtConfig = Http.get(keycloak.realmUrl() + "/hasura/jwt-config", null).json();
        jwks = Http.get(jwtConfig.get("jwk_url").asText(), null).body();
    }

    @Test
    void anAccessTokenIsAcceptedWithTheUsersSession() {
        String token = tokens.login(KeycloakServer.CLIENT_ID, admin.newUser("jwt-mode", PASSWORD), PASSWORD, null)
                .get("access_token").asText();
        assertNull(HasuraJwtMode.refusal(token, jwtConfig, jwks));
        assertEquals("user", HasuraSession.fromAccessToken(token, null).variables().get("x-hasura-role"));
    }

    @Test
    void anIdTokenIsRefusedBecauseItLacksTheHasuraAudience() {
        String idToken = tokens.login(KeycloakServer.CLIENT_ID, admin.newUser("jwt-mode-id", PASSWORD), PASSWORD, "openid")
                .get("id_token").asText();
        // The realm export's hasura scope has an audience mapper: jwt-config names the audience, ID tokens lack it.
        assertEquals("hasura", jwtConfig.path("audience").asText(), jwtConfig.toString());
        assertFalse(Jwt.payload(idToken).path("aud").toString().contains("\"hasura\""), Jwt.payload(idToken).toString());
        assertNotNull(HasuraJwtMode.refusal(idToken, jwtConfig, jwks), "Hasura must refuse an ID token as bearer");
    }

    @Test
    void aTokenOfAnotherRealmIsRefused() {
        String masterToken = Http.form(server.baseUrl() + "/realms/master/protocol/openid-connect/token",
                Http.params("grant_type", "password", "client_id", "admin-cli",
                        "username", KeycloakServer.ADMIN_USERNAME, "password", KeycloakServer.ADMIN_PASSWORD), null)
                .json().get("access_token").asText();
        assertNotNull(HasuraJwtMode.refusal(masterToken, jwtConfig, jwks));
        assertNotNull(HasuraJwtMode.refusal(masterToken.substring(0, masterToken.length() - 4) + "AAAA", jwtConfig, jwks));
    }
}
