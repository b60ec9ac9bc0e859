package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /realms/app/hasura/ddn-auth-config}: Hasura DDN's AuthConfig, checked against real tokens of the real server. */
@ExtendWith(KeycloakExtension.class)
class DdnAuthConfigIT {

    private static final String PASSWORD = "Secret-pass-123";

    private static KeycloakServer server;
    private static KeycloakAdmin admin;
    private static Tokens tokens;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
    }

    private static String url(String query) {
        return server.realmUrl() + "/hasura/ddn-auth-config" + query;
    }

    private static String accessToken(String clientId) {
        String username = unique("ddn");
        admin.createUser(username, PASSWORD, null);
        return tokens.login(clientId, username, PASSWORD, null).get("access_token").asText();
    }

    @Test
    void jwtModeLocatesTheHasuraClaimsOfARealAccessTokenAndVerifiesItsSignature() throws Exception {
        Http.Response response = Http.get(url(""), null);
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.header("Content-Type").startsWith("application/json"), response.header("Content-Type"));
        JsonNode config = response.json();
        assertEquals("AuthConfig", config.get("kind").asText());
        assertEquals("v3", config.get("version").asText());
        JsonNode jwt = config.at("/definition/mode/jwt");
        assertEquals("BearerAuthorization", jwt.at("/tokenLocation/type").asText());
        assertEquals("Json", jwt.at("/claimsConfig/namespace/claimsFormat").asText());
        assertEquals("/https:~1~1hasura.io~1jwt~1claims", jwt.at("/claimsConfig/namespace/location").asText());

        String access = accessToken("hasura-app");
        JsonNode payload = Jwt.payload(access);
        JsonNode claims = payload.at(jwt.at("/claimsConfig/namespace/location").asText());
        assertEquals("user", claims.get("x-hasura-default-role").asText(), payload.toString());
        assertEquals(payload.get("sub").asText(), claims.get("x-hasura-user-id").asText());
        assertEquals(payload.get("iss").asText(), jwt.get("issuer").asText());
        // The realm export's audience mapper (access tokens only): DDN checks it, so an ID token is refused.
        assertEquals(List.of("hasura"), Http.JSON.convertValue(jwt.get("audience"), List.class));
        JsonNode aud = payload.get("aud");
        assertTrue(aud != null && (aud.isArray() ? aud.toString().contains("\"hasura\"") : aud.asText().equals("hasura")),
                payload.toString());

        // Same computation as the v2 jwt-config, and the key URL really verifies the token.
        JsonNode v2 = Http.get(server.realmUrl() + "/hasura/jwt-config", null).json();
        assertEquals(v2.get("jwk_url").asText(), jwt.at("/key/jwkFromUrl").asText());
        assertEquals(v2.get("issuer").asText(), jwt.get("issuer").asText());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(
                JWKSet.parse(Http.get(jwt.at("/key/jwkFromUrl").asText(), null).body()))));
        assertEquals(payload.get("sub").asText(), processor.process(access, null).getSubject());
    }

    @Test
    void anotherClientsStringifiedMapperAndAudienceShowInItsConfig() {
        String api = unique("ddn-api");
        admin.createConfidentialClient(api);
        String clientId = KeycloakExtension.ALLOWED_DDN_CLIENT;
        admin.ensureClient(clientId, List.of(
                KeycloakAdmin.hasuraMapper("hasura", Map.of("hasura.claims.format", "stringified_json",
                        "claim.name", "https://example.test/hasura/claims")),
                KeycloakAdmin.audienceMapper(api)), null, true);
        JsonNode jwt = Http.get(url("?client_id=" + clientId), null).json().at("/definition/mode/jwt");
        assertEquals("StringifiedJson", jwt.at("/claimsConfig/namespace/claimsFormat").asText());
        assertEquals(List.of(api), Http.JSON.convertValue(jwt.get("audience"), List.class));

        JsonNode payload = Jwt.payload(accessToken(clientId));
        JsonNode located = payload.at(jwt.at("/claimsConfig/namespace/location").asText());
        assertTrue(located.isTextual(), "stringified claims are a JSON string: " + payload);
        assertTrue(located.asText().contains("x-hasura-allowed-roles"), located.asText());
        assertTrue(payload.get("aud").toString().contains(api), payload.toString());
    }

    @Test
    void yamlIsTheSameDocument() throws Exception {
        Http.Response yaml = Http.get(url("?format=yaml&mode=jwt"), null);
        assertEquals(200, yaml.status(), yaml.toString());
        assertTrue(yaml.header("Content-Type").startsWith("application/yaml"), yaml.header("Content-Type"));
        assertFalse(yaml.body().trim().startsWith("{"), "block YAML, not JSON: " + yaml.body());
        assertEquals(Http.get(url(""), null).json(), new YAMLMapper().readTree(yaml.body()));
    }

    @Test
    void webhookModePointsAtAWebhookThatAcceptsWhatDdnForwards() {
        JsonNode hook = Http.get(url("?mode=webhook"), null).json().at("/definition/mode/webhook");
        String webhookUrl = hook.at("/url/value").asText();
        assertEquals(server.realmUrl() + "/hasura/webhook", webhookUrl);
        assertEquals("POST", hook.get("method").asText());
        List<?> forwarded = Http.JSON.convertValue(hook.at("/customHeadersConfig/body/headers/forward"), List.class);
        assertTrue(forwarded.contains("Authorization"), forwarded.toString());

        // DDN POSTs {"headers": {<forwarded>}}: the webhook answers with the session.
        Http.Response session = Http.json("POST", webhookUrl,
                Map.of("headers", Map.of("Authorization", "Bearer " + accessToken("hasura-app"))), null);
        assertEquals(200, session.status(), session.toString());
        assertEquals("user", session.json().get("X-Hasura-Role").asText());
    }

    @Test
    void badInputIsAClearClientError() {
        for (String query : List.of("?format=xml", "?mode=foo", "?mode=jwt&format=" + "x".repeat(500))) {
            Http.Response bad = Http.get(url(query), null);
            assertEquals(400, bad.status(), query + " " + bad);
            assertEquals("invalid_request", bad.json().get("error").asText());
        }
        for (String mode : List.of("jwt", "webhook")) {
            Http.Response unknown = Http.get(url("?client_id=no-such-client&mode=" + mode), null);
            assertEquals(404, unknown.status(), unknown.toString());
            assertEquals("client_not_found", unknown.json().get("error").asText());
        }
        for (String mode : List.of("jwt", "webhook")) {
            Http.Response notAllowed = Http.get(url("?client_id=account&mode=" + mode), null);
            assertEquals(404, notAllowed.status(), notAllowed.toString());
            assertEquals("client_not_allowed", notAllowed.json().get("error").asText());
        }
        admin.ensureClient(KeycloakExtension.ALLOWED_SCOPED_CLIENT, List.of(), null, false);
        Http.Response noMapper = Http.get(url("?client_id=" + KeycloakExtension.ALLOWED_SCOPED_CLIENT), null);
        assertEquals(404, noMapper.status(), noMapper.toString());
        assertEquals("mapper_not_found", noMapper.json().get("error").asText());
    }
}
