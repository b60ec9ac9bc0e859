package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /realms/app/hasura/{jwks,jwt-config,webhook}} on the real server. */
@ExtendWith(KeycloakExtension.class)
class HasuraEndpointsIT {

    private static final String NS = "https://hasura.io/jwt/claims";
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

    private static String hasura(String path) {
        return server.realmUrl() + "/hasura/" + path;
    }

    private static Set<String> kids(JsonNode jwks, String use) {
        Set<String> kids = new HashSet<>();
        for (JsonNode key : jwks.get("keys")) {
            if (use == null || use.equals(key.path("use").asText())) {
                kids.add(key.get("kid").asText());
            }
        }
        return kids;
    }

    private static Http.Response webhook(String bearer, String role) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hasura("webhook"))).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (role != null) {
            b.header("X-Hasura-Role", role);
        }
        return Http.send(b);
    }

    private static String login(String username) {
        return tokens.login("hasura-app", username, PASSWORD, null).get("access_token").asText();
    }

    @Test
    void jwksHasOnlySigningKeysAndTheConfiguredCacheLifetime() throws Exception {
        Http.Response response = Http.get(hasura("jwks"), null);
        assertEquals(200, response.status(), response.toString());
        String cacheControl = response.header("Cache-Control");
        assertTrue(cacheControl != null && cacheControl.contains("max-age=" + KeycloakExtension.HASURA_JWKS_MAX_AGE), cacheControl);
        assertFalse(cacheControl.contains("no-cache"), cacheControl);

        JsonNode ours = response.json();
        JsonNode certs = Http.get(server.realmUrl() + "/protocol/openid-connect/certs", null).json();
        assertFalse(kids(certs, "enc").isEmpty(), "Keycloak's /certs is expected to publish an enc key: " + certs);
        assertEquals(kids(certs, "sig"), kids(ours, null));
        for (JsonNode key : ours.get("keys")) {
            assertEquals("sig", key.get("use").asText(), key.toString());
        }

        // A token issued now verifies against this key set with an independent library.
        String access = login(newUser());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(JWKSet.parse(response.body()))));
        assertEquals(Jwt.payload(access).get("sub").asText(), processor.process(access, null).getSubject());
    }

    @Test
    void rotatedInKeyAndPassiveOldKeyAreBothPublishedAndOldTokensStillVerify() throws Exception {
        String oldToken = login(newUser());
        String oldKid = Jwt.header(oldToken).get("kid").asText();

        String realmId = admin.realm().get("id").asText();
        Http.Response created = admin.call("POST", "/components", Map.of(
                "name", unique("rotated-rsa"),
                "providerId", "rsa-generated",
                "providerType", "org.keycloak.keys.KeyProvider",
                "parentId", realmId,
                "config", Map.of("priority", List.of("1000"), "active", List.of("true"), "enabled", List.of("true"))));
        assertEquals(201, created.status(), created.toString());

        String newToken = login(newUser());
        String newKid = Jwt.header(newToken).get("kid").asText();
        assertNotEquals(oldKid, newKid, "the new key should sign new tokens");

        // Make the old key passive: it no longer signs, but must stay published until its tokens expire.
        JsonNode keys = admin.call("GET", "/keys", null).json();
        String oldProviderId = null;
        for (JsonNode key : keys.get("keys")) {
            if (oldKid.equals(key.get("kid").asText())) {
                oldProviderId = key.get("providerId").asText();
            }
        }
        JsonNode component = admin.call("GET", "/components/" + oldProviderId, null).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) component.get("config")).set("active",
                Http.JSON.valueToTree(List.of("false")));
        Http.Response updated = admin.call("PUT", "/components/" + oldProviderId, component);
        assertEquals(204, updated.status(), updated.toString());

        JsonNode jwks = Http.get(hasura("jwks"), null).json();
        Set<String> published = kids(jwks, null);
        assertTrue(published.containsAll(Set.of(oldKid, newKid)), published.toString());

        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(JWKSet.parse(jwks.toString()))));
        processor.process(oldToken, null);
        processor.process(newToken, null);
        // The old token is still accepted by Keycloak itself, e.g. by the webhook.
        assertEquals(200, webhook(oldToken, null).status());
    }

    @Test
    void jwtConfigDescribesTheRealmAndTheClientsMapper() {
        Http.Response response = Http.get(hasura("jwt-config"), null);
        assertEquals(200, response.status(), response.toString());
        JsonNode secret = response.json();
        String access = login(newUser());
        assertEquals("RS256", secret.get("type").asText());
        assertEquals(Jwt.payload(access).get("iss").asText(), secret.get("issuer").asText());
        assertEquals(NS, secret.get("claims_namespace").asText());
        assertEquals("json", secret.get("claims_format").asText());
        // The realm export's audience mapper (hasura client scope, access tokens only) is what Hasura checks.
        assertEquals("hasura", secret.get("audience").asText(), secret.toString());
        assertTrue(Jwt.payload(access).get("aud").toString().contains("\"hasura\""), Jwt.payload(access).toString());
        String jwkUrl = secret.get("jwk_url").asText();
        assertEquals(server.realmUrl() + "/hasura/jwks", jwkUrl);
        assertEquals(200, Http.get(jwkUrl, null).status());
    }

    @Test
    void jwtConfigFollowsMapperOptionsAndAudienceOfAnotherClient() {
        String api = unique("it-api");
        admin.createConfidentialClient(api);
        List<Map<String, Object>> mappers = List.of(
                KeycloakAdmin.hasuraMapper("hasura", Map.of("hasura.claims.format", "stringified_json",
                        "claim.name", "https://example.test/hasura")),
                KeycloakAdmin.audienceMapper(api));
        // A client outside allowed-clients is not described, Hasura mapper or not (its tokens are accepted nowhere).
        String notAllowed = unique("it-jwt-config");
        admin.createClient(notAllowed, mappers, null);
        Http.Response refused = Http.get(hasura("jwt-config?client_id=" + notAllowed), null);
        assertEquals(404, refused.status(), refused.toString());
        assertEquals("client_not_allowed", refused.json().get("error").asText());

        String clientId = KeycloakExtension.ALLOWED_JWT_CONFIG_CLIENT;
        admin.ensureClient(clientId, mappers, null, true);
        JsonNode secret = Http.get(hasura("jwt-config?client_id=" + clientId), null).json();
        assertEquals("stringified_json", secret.get("claims_format").asText());
        assertEquals("https://example.test/hasura", secret.get("claims_namespace").asText());
        assertEquals(api, secret.get("audience").asText());

        // and the token really has that shape
        String access = tokens.login(clientId, newUser(), PASSWORD, null).get("access_token").asText();
        assertTrue(Jwt.payload(access).get("https://example.test/hasura").isTextual());
        assertTrue(Jwt.payload(access).get("aud").toString().contains(api));
    }

    @Test
    void jwtConfigErrorsAreClear() {
        Http.Response unknown = Http.get(hasura("jwt-config?client_id=no-such-client"), null);
        assertEquals(404, unknown.status());
        assertEquals("client_not_found", unknown.json().get("error").asText());
        Http.Response notAllowed = Http.get(hasura("jwt-config?client_id=account"), null);
        assertEquals(404, notAllowed.status());
        assertEquals("client_not_allowed", notAllowed.json().get("error").asText());
        // allowed, but without a Hasura mapper
        admin.ensureClient(KeycloakExtension.ALLOWED_SCOPED_CLIENT, List.of(), null, false);
        Http.Response noMapper = Http.get(hasura("jwt-config?client_id=" + KeycloakExtension.ALLOWED_SCOPED_CLIENT), null);
        assertEquals(404, noMapper.status());
        assertEquals("mapper_not_found", noMapper.json().get("error").asText());
    }

    @Test
    void webhookReturnsTheSameSessionVariablesAsTheToken() {
        String username = newUser();
        String access = login(username);
        Http.Response response = webhook(access, null);
        assertEquals(200, response.status(), response.toString());
        assertEquals("no-store", response.header("Cache-Control"));
        JsonNode vars = response.json();
        JsonNode claims = Jwt.payload(access).get(NS);
        assertEquals(claims.get("x-hasura-default-role").asText(), vars.get("X-Hasura-Role").asText());
        assertEquals(claims.get("x-hasura-user-id").asText(), vars.get("X-Hasura-User-Id").asText());
        for (Iterator<String> it = claims.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("x-hasura-allowed-roles") && !name.equals("x-hasura-default-role")) {
                boolean present = false;
                for (Iterator<String> v = vars.fieldNames(); v.hasNext(); ) {
                    String header = v.next();
                    if (header.equalsIgnoreCase(name)) {
                        assertEquals(claims.get(name).asText(), vars.get(header).asText());
                        present = true;
                    }
                }
                assertTrue(present, name + " missing in " + vars);
            }
        }
        vars.fields().forEachRemaining(e -> assertTrue(e.getValue().isTextual(), e.toString()));
    }

    @Test
    void webhookLetsAManagerPickAnAllowedRoleOnly() {
        String username = unique("manager");
        String id = admin.createUser(username, PASSWORD, null);
        admin.addRealmRoles(id, "manager");
        String access = login(username);
        assertEquals("manager", webhook(access, null).json().get("X-Hasura-Role").asText());
        assertEquals("user", webhook(access, "user").json().get("X-Hasura-Role").asText());
        Http.Response denied = webhook(access, "admin");
        assertEquals(401, denied.status(), denied.toString());
        String plain = login(newUser());
        assertEquals(401, webhook(plain, "manager").status());
    }

    @Test
    void webhookRefusesMissingInvalidLoggedOutAndDisabled() {
        assertEquals(401, webhook(null, null).status());
        assertEquals(401, webhook("not-a-token", null).status());

        String loggedOut = unique("user");
        String loggedOutId = admin.createUser(loggedOut, PASSWORD, null);
        String token = login(loggedOut);
        assertEquals(200, webhook(token, null).status());
        assertEquals(204, admin.call("POST", "/users/" + loggedOutId + "/logout", null).status());
        assertEquals(401, webhook(token, null).status(), "a logged-out session must be refused at once");

        String disabled = unique("user");
        String disabledId = admin.createUser(disabled, PASSWORD, null);
        String disabledToken = login(disabled);
        assertEquals(200, webhook(disabledToken, null).status());
        admin.updateUser(disabledId, Map.of("enabled", false));
        Http.Response refused = webhook(disabledToken, null);
        assertEquals(401, refused.status(), refused.toString());
        assertTrue(refused.json().get("error_description").asText().length() > 0);
    }

    @Test
    void webhookPostModeReadsForwardedHeaders() {
        String access = login(newUser());
        Http.Response ok = Http.json("POST", hasura("webhook"),
                Map.of("headers", Map.of("authorization", "Bearer " + access), "request", Map.of("query", "{ x }")), null);
        assertEquals(200, ok.status(), ok.toString());
        assertEquals("user", ok.json().get("X-Hasura-Role").asText());
        Http.Response none = Http.json("POST", hasura("webhook"), Map.of("headers", Map.of()), null);
        assertEquals(401, none.status());
    }

    private static String newUser() {
        String username = unique("user");
        admin.createUser(username, PASSWORD, null);
        return username;
    }
}
