package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.RawJson;
import io.github.keycloakhasura.graphql.http.ResponseWriter;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reading what the API needs from Keycloak's tokens without parsing them into maps. */
class TokenPayloadTest {

    private static final String PAYLOAD = "{\"exp\":1767225600,\"realm_access\":{\"roles\":[\"azp\",\"user\"]},"
            + "\"azp\":\"hasura-app\",\"https://hasura.io/jwt/claims\":{\"x-hasura-default-role\":\"user\"},\"n\":null}";

    private static String jwt(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(new byte[32]);
    }

    @Test
    void topLevelClaimsAreReadWithoutTouchingNestedOnes() {
        String token = jwt(PAYLOAD);
        assertEquals("hasura-app", Jwts.claim(token, "azp"));
        assertEquals(1767225600L, ((Number) Jwts.claim(token, "exp")).longValue());
        assertNull(Jwts.claim(token, "roles"), "nested names are not top-level claims");
        assertNull(Jwts.claim(token, "n"));
        assertNull(Jwts.claim(token, "missing"));
    }

    @Test
    void junkIsRefused() {
        for (String junk : new String[]{"", "a.b", "a.b.c.d", "x." + Base64.getUrlEncoder().encodeToString("[1]".getBytes()) + ".y",
                "x.%%%.y"}) {
            assertThrows(IllegalArgumentException.class, () -> Jwts.claim(junk, "azp"), junk);
        }
    }

    @Test
    void thePayloadIsWrittenVerbatim() {
        String token = jwt(PAYLOAD);
        assertEquals(PAYLOAD, Jwts.payloadJson(token));
        byte[] body = ResponseWriter.write(Map.of("payload", new RawJson(Jwts.payloadJson(token))));
        assertEquals("{\"payload\":" + PAYLOAD + "}", new String(body, StandardCharsets.UTF_8));
        assertEquals("hasura-app", Jwts.payload(token).get("azp"), "the parsed form, still used by createUser");
    }
}
