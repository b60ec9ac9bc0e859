package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.Hostile.code;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forged, altered, stale and foreign tokens, through both ways the endpoint takes a token: the {@code verifyToken}
 * argument and the {@code Authorization: Bearer} header of {@code whoami}/{@code users}. GraphqlAuthIT covers
 * verifyToken with tampered, alg=none, refresh, other-realm and garbage tokens; this adds the header path and the
 * rest. Every refusal is UNAUTHENTICATED with no data, never an internal error.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlTokenAbuseIT {

    static final String PASSWORD = "Token-abuse-pass-1";
    static final String NS = GraphqlAuthIT.NS;
    static final String VERIFY = GraphqlAuthIT.VERIFY;
    static final String WHOAMI = "{ whoami { id username hasura } }";

    static KeycloakServer server;
    static KeycloakAdmin admin;
    static Tokens tokens;
    static GraphqlClient graphql;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
        graphql = new GraphqlClient(keycloak);
    }

    static String newUser(String... roles) {
        return admin.newUser("abuse", PASSWORD, roles);
    }

    static JsonNode login(String username) {
        return GraphqlClient.data(graphql.post("mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p, "
                + "scope: \"openid\") { token refreshToken idToken } }", Map.of("u", username, "p", PASSWORD), null)).get("tokenAuth");
    }

    /** verifyToken, whoami and users all refuse {@code token}. */
    static void refusedEverywhere(String token, String what) {
        Http.Response verify = graphql.post(VERIFY, Map.of("t", token), null);
        assertEquals("UNAUTHENTICATED", code(verify, what + " (verifyToken)"));
        assertTrue(verify.json().get("data").get("verifyToken").isNull(), verify.body());
        Http.Response whoami = graphql.post(WHOAMI, null, token);
        assertEquals("UNAUTHENTICATED", code(whoami, what + " (whoami)"));
        assertTrue(whoami.json().get("data").get("whoami").isNull(), whoami.body());
        assertEquals("UNAUTHENTICATED", code(graphql.post("{ users { id } }", null, token), what + " (users)"));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static String hmac(String algorithm, byte[] key, String signingInput) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void hs256SignedWithTheRealmsPublicKeyIsRefused() throws Exception {
        String username = newUser();
        String token = login(username).get("token").asText();
        JsonNode header = Jwt.header(token);
        JsonNode jwk = null;
        for (JsonNode key : Http.get(server.realmUrl() + "/protocol/openid-connect/certs", null).json().get("keys")) {
            if (key.get("kid").asText().equals(header.get("kid").asText())) {
                jwk = key;
            }
        }
        assertTrue(jwk != null && jwk.get("kty").asText().equals("RSA"), "the token's signing key is in the JWKS");
        PublicKey rsa = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("n").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("e").asText()))));
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        List<byte[]> keyMaterial = List.of(rsa.getEncoded(), pem.getBytes(StandardCharsets.US_ASCII),
                pem.trim().getBytes(StandardCharsets.US_ASCII), jwk.toString().getBytes(StandardCharsets.UTF_8),
                Base64.getUrlDecoder().decode(jwk.get("n").asText()));

        // The forger makes themself a manager, with fresh times.
        ObjectNode payload = (ObjectNode) Jwt.payload(token);
        ((ObjectNode) payload.get(NS)).put("x-hasura-default-role", "manager");
        ((ObjectNode) payload.get(NS)).putArray("x-hasura-allowed-roles").add("manager").add("user");
        payload.put("exp", Instant.now().getEpochSecond() + 300);
        for (String alg : List.of("HS256", "HS512")) {
            Map<String, Object> forgedHeader = new LinkedHashMap<>();
            forgedHeader.put("alg", alg);
            forgedHeader.put("typ", "JWT");
            forgedHeader.put("kid", header.get("kid").asText());
            String input = b64(Http.JSON.writeValueAsString(forgedHeader)) + "." + b64(Http.JSON.writeValueAsString(payload));
            for (byte[] key : keyMaterial) {
                String forged = input + "." + hmac(alg.equals("HS256") ? "HmacSHA256" : "HmacSHA512", key, input);
                refusedEverywhere(forged, alg + " with public key bytes");
            }
            // without a kid as well
            forgedHeader.remove("kid");
            String noKid = b64(Http.JSON.writeValueAsString(forgedHeader)) + "." + b64(Http.JSON.writeValueAsString(payload));
            refusedEverywhere(noKid + "." + hmac(alg.equals("HS256") ? "HmacSHA256" : "HmacSHA512", rsa.getEncoded(), noKid),
                    alg + " without kid");
        }
        // The genuine token still works, i.e. the refusals above are about the forgery.
        assertEquals(username, GraphqlClient.data(graphql.post(WHOAMI, null, token)).get("whoami").get("username").asText());
    }

    @Test
    void tamperedNoneAlgorithmRefreshIdOtherRealmAndGarbageTokensAreRefusedAsBearerTokens() {
        JsonNode login = login(newUser());
        String token = login.get("token").asText();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String tampered = parts[0] + "." + b64(payload.replace("\"user\"", "\"manager\"")) + "." + parts[2];
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        String noneUpper = b64("{\"alg\":\"NONE\"}") + "." + parts[1] + ".";
        String signatureOfAnother = parts[0] + "." + parts[1] + "." + login(newUser()).get("token").asText().split("\\.")[2];
        String truncatedSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() / 2);
        List<String> bad = new ArrayList<>(List.of(tampered, none, noneUpper, signatureOfAnother, truncatedSignature,
                login.get("refreshToken").asText(), login.get("idToken").asText(), admin.token(),
                "garbage", "a.b.c", "..", parts[0] + "." + parts[1], token + ".extra", "Bearer " + token));
        for (String t : bad) {
            refusedEverywhere(t, t.length() > 40 ? t.substring(0, 40) + "…" : t);
        }
        // Header shapes: duplicate Authorization headers, other schemes, empty bearer.
        for (List<String[]> headers : List.of(
                List.of(new String[]{"Authorization", "Bearer " + token}, new String[]{"Authorization", "Bearer " + token}),
                List.<String[]>of(new String[]{"Authorization", "Basic " + b64("admin:admin")}),
                List.<String[]>of(new String[]{"Authorization", "Bearer"}),
                List.<String[]>of(new String[]{"Authorization", "Bearer  "}),
                List.<String[]>of(new String[]{"Authorization", "DPoP " + token}),
                List.<String[]>of(new String[]{"Authorization", token}))) {
            List<String[]> all = new ArrayList<>(headers);
            all.add(new String[]{"Content-Type", "application/json"});
            Http.Response r = Hostile.send("POST", graphql.url(), "{\"query\":\"{ whoami { id } }\"}".getBytes(StandardCharsets.UTF_8), all);
            assertEquals("UNAUTHENTICATED", code(r, "header " + headers.get(0)[1]));
        }
    }

    @Test
    void expiredRevokedAndDisabledAreRefusedAsBearerTokens() {
        // expired: a client whose access tokens live one second
        String shortClient = KeycloakExtension.ALLOWED_SHORT_CLIENT;
        admin.ensureClient(shortClient, List.of(KeycloakAdmin.hasuraMapper("hasura-claims", Map.of())),
                Map.of("access.token.lifespan", "1"), true);
        String expiring = GraphqlClient.data(graphql.post("mutation($u: String!, $p: String!, $c: String) { tokenAuth(username: $u, "
                + "password: $p, clientId: $c) { token } }", Map.of("u", newUser(), "p", PASSWORD, "c", shortClient), null))
                .get("tokenAuth").get("token").asText();

        // revoked access token (revocation list), the session and refresh token untouched
        JsonNode revokedLogin = login(newUser());
        String revokedAccess = revokedLogin.get("token").asText();
        GraphqlClient.data(graphql.post(GraphqlAuthIT.REVOKE, Map.of("r", revokedAccess), null));

        // disabled user
        String disabledName = newUser();
        String disabledToken = login(disabledName).get("token").asText();
        admin.updateUser(Hostile.userId(admin, disabledName), Map.of("enabled", false));

        // logged out everywhere (admin logout of the user's sessions)
        String loggedOutName = newUser();
        String loggedOutToken = login(loggedOutName).get("token").asText();
        admin.call("POST", "/users/" + Hostile.userId(admin, loggedOutName) + "/logout", null);

        // realm "not before": every token issued earlier is revoked
        Hostile.sleep(2500);
        refusedEverywhere(expiring, "expired");
        refusedEverywhere(revokedAccess, "revoked access token");
        refusedEverywhere(disabledToken, "disabled user");
        refusedEverywhere(loggedOutToken, "logged-out user");
        // The refresh token of the revoked access token is a separate grant and still refreshes, as at Keycloak.
        GraphqlClient.data(graphql.post(GraphqlAuthIT.REFRESH, Map.of("r", revokedLogin.get("refreshToken").asText()), null));
    }

    /**
     * Stricter than Keycloak's userinfo: a valid access token of another client of the realm (not in the server's
     * {@code allowed-clients}) is refused by verifyToken, whoami and users, although Keycloak's userinfo accepts it.
     * (Before the trust boundary these were accepted, which let any client's login act at the API.)
     */
    @Test
    void tokensOfOtherClientsOfTheRealmAreRefusedThoughKeycloaksUserinfoAcceptsThem() {
        String username = newUser();
        String otherClient = unique("it-abuse-other");
        admin.createClient(otherClient, List.of(), null);
        String otherToken = tokens.login(otherClient, username, PASSWORD, "openid").get("access_token").asText();
        assertEquals(otherClient, Jwt.payload(otherToken).get("azp").asText());
        assertFalse(Jwt.payload(otherToken).path("aud").toString().contains("hasura-app"), "not an audience of hasura-app");

        assertEquals(200, tokens.userinfo(otherToken).status(), "Keycloak's userinfo accepts it");
        refusedEverywhere(otherToken, "token of a client outside allowed-clients");
    }

    @Test
    void hasuraHeadersNeverAuthenticateNorElevate() {
        String plainName = newUser();
        String plainToken = login(plainName).get("token").asText();
        String managerName = newUser("manager");
        String managerId = Hostile.userId(admin, managerName);
        List<String[]> spoof = List.of(
                new String[]{"Content-Type", "application/json"},
                new String[]{"x-hasura-role", "manager"},
                new String[]{"x-hasura-user-id", managerId},
                new String[]{"x-hasura-allowed-roles", "{manager,user}"},
                new String[]{"x-hasura-admin-secret", "anything"});
        byte[] body = "{\"query\":\"{ whoami { id username } users { id } }\"}".getBytes(StandardCharsets.UTF_8);

        Http.Response anonymous = Hostile.send("POST", graphql.url(), body, spoof);
        Hostile.clean(anonymous, "spoofed headers without a token");
        anonymous.json().get("errors").forEach(e -> assertEquals("UNAUTHENTICATED", e.get("extensions").get("code").asText()));
        assertTrue(anonymous.json().get("data").get("whoami").isNull());

        List<String[]> withToken = new ArrayList<>(spoof);
        withToken.add(new String[]{"Authorization", "Bearer " + plainToken});
        Http.Response elevated = Hostile.send("POST", graphql.url(), body, withToken);
        Hostile.clean(elevated, "spoofed headers with a plain user's token");
        assertEquals(plainName, elevated.json().get("data").get("whoami").get("username").asText(), "the token's user, not the header's");
        assertEquals(1, elevated.json().get("errors").size(), elevated.body());
        assertEquals("FORBIDDEN", elevated.json().get("errors").get(0).get("extensions").get("code").asText());
        assertEquals(List.of("users"), List.of(elevated.json().get("errors").get(0).get("path").get(0).asText()));
    }
}
