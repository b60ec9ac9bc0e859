package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every key {@code /realms/app/hasura/jwks} publishes is one Hasura's jose library parses and can verify with. */
@ExtendWith(KeycloakExtension.class)
class HasuraJwksJoseIT {

    private static KeycloakServer server;
    private static KeycloakAdmin admin;
    private static Tokens tokens;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
    }

    private static JsonNode jwks() {
        Http.Response r = Http.get(server.realmUrl() + "/hasura/jwks", null);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private static JsonNode certs() {
        return Http.get(server.realmUrl() + "/protocol/openid-connect/certs", null).json();
    }

    private static ObjectNode signingKey() {
        return jwks().get("keys").get(0).deepCopy();
    }

    @Test
    void everyPublishedKeyParsesInJoseAndVerifiesTheRealmsTokens() {
        JsonNode set = jwks();
        assertTrue(set.get("keys").size() > 0, set.toString());
        assertEquals(List.of(), JoseJwkRules.setProblems(set), set.toString());
        for (JsonNode key : set.get("keys")) {
            assertEquals(List.of(), JoseJwkRules.verificationProblems(key), key.toString());
        }
        String token = tokens.login(KeycloakServer.CLIENT_ID, admin.newUser("jose", "Secret-pass-123"), "Secret-pass-123", null)
                .get("access_token").asText();
        JsonNode header = Jwt.header(token);
        JsonNode signer = null;
        for (JsonNode key : set.get("keys")) {
            signer = key.path("kid").asText().equals(header.get("kid").asText()) ? key : signer;
        }
        assertNotNull(signer, "the token's kid is published: " + header);
        assertTrue(!signer.has("alg") || signer.get("alg").asText().equals(header.get("alg").asText()), signer + " vs " + header);
    }

    @Test
    void keycloaksOwnCertsCarryAnEncryptionKeyTheCheckRefusesForVerification() {
        JsonNode enc = null;
        for (JsonNode key : certs().get("keys")) {
            enc = "enc".equals(key.path("use").asText()) ? key : enc;
        }
        assertNotNull(enc, "Keycloak's /certs is expected to publish an enc key");
        // jose parses it ("RSA-OAEP" is one of its JWE algorithms) ...
        assertEquals(List.of(), JoseJwkRules.parseProblems(enc), enc.toString());
        // ... but it is no key to verify a signed token with.
        List<String> problems = JoseJwkRules.verificationProblems(enc);
        assertTrue(problems.stream().anyMatch(p -> p.contains("use is enc")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("not a JWS signature algorithm")), problems.toString());
    }

    @Test
    void theCheckRejectsWhatJoseRejects() throws Exception {
        ObjectNode good = signingKey();
        assertEquals(List.of(), JoseJwkRules.parseProblems(good));
        rejected(good, k -> k.put("kty", "XYZ"), "unsupported \"kty\"");
        rejected(good, k -> k.remove("kty"), "missing \"kty\"");
        rejected(good, k -> k.remove("n"), "missing \"n\"");
        rejected(good, k -> k.put("n", withLeadingZero(k.get("n").asText())), "leading null byte");
        rejected(good, k -> k.put("e", k.get("e").asText() + "="), "not valid base64url");
        rejected(good, k -> k.put("alg", "RS257"), "unknown alg");
        rejected(good, k -> k.put("use", "signature"), "unknown use");
        rejected(good, k -> k.putArray("key_ops").add("sign-and-verify"), "unknown key_ops");
        rejected(good, k -> k.put("x5t", Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[19])), "x5t: incorrect number");
        if (good.has("x5c")) {
            JsonNode otherCert = null;
            for (JsonNode key : certs().get("keys")) {
                otherCert = "enc".equals(key.path("use").asText()) ? key.get("x5c") : otherCert;
            }
            JsonNode foreign = otherCert;
            rejected(good, k -> k.set("x5c", foreign), "does not match key");
        }

        // One bad key spoils the whole set for Hasura.
        ObjectNode set = jwks().deepCopy();
        ((ArrayNode) set.get("keys")).addObject().put("kty", "XYZ").put("kid", "alien");
        assertFalse(JoseJwkRules.setProblems(set).isEmpty());

        // EC: a generated P-256 key passes; moved off its curve it does not.
        ObjectNode ec = (ObjectNode) Http.JSON.readTree(new ECKeyGenerator(Curve.P_256).keyID("ec").generate()
                .toPublicJWK().toJSONString());
        ec.put("alg", "ES256").put("use", "sig");
        assertEquals(List.of(), JoseJwkRules.verificationProblems(ec), ec.toString());
        byte[] y = Base64.getUrlDecoder().decode(ec.get("y").asText());
        y[y.length - 1] ^= 1;
        ObjectNode offCurve = ec.deepCopy().put("y", Base64.getUrlEncoder().withoutPadding().encodeToString(y));
        assertTrue(JoseJwkRules.parseProblems(offCurve).contains("point is not on specified curve"));
        assertFalse(JoseJwkRules.verificationProblems(ec.deepCopy().put("alg", "ES384")).isEmpty(), "ES384 needs P-384");

        // Verification: a 1024-bit RSA key parses but is below jose's bound; a symmetric key must never be published.
        RSAKey small = new RSAKeyGenerator(1024, true).keyID("small").generate();
        ObjectNode smallJson = (ObjectNode) Http.JSON.readTree(small.toPublicJWK().toJSONString());
        assertEquals(List.of(), JoseJwkRules.parseProblems(smallJson));
        assertTrue(JoseJwkRules.verificationProblems(smallJson).stream().anyMatch(p -> p.contains("2040")));
        ObjectNode oct = Http.JSON.createObjectNode().put("kty", "oct").put("k", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ");
        assertEquals(List.of(), JoseJwkRules.parseProblems(oct));
        assertFalse(JoseJwkRules.verificationProblems(oct).isEmpty());
        ObjectNode withPrivate = (ObjectNode) Http.JSON.readTree(small.toJSONString());
        assertTrue(JoseJwkRules.verificationProblems(withPrivate).stream().anyMatch(p -> p.contains("secret member d")));
    }

    private static void rejected(ObjectNode good, Consumer<ObjectNode> change, String expected) {
        ObjectNode bad = good.deepCopy();
        change.accept(bad);
        List<String> problems = JoseJwkRules.parseProblems(bad);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), expected + " expected in " + problems + " for " + bad);
    }

    private static String withLeadingZero(String base64url) {
        byte[] value = Base64.getUrlDecoder().decode(base64url);
        byte[] padded = new byte[value.length + 1];
        System.arraycopy(value, 0, padded, 1, value.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(padded);
    }
}
