package io.github.keycloakhasura.hasura;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class DdnAuthConfigTest {

    private static JwtVerification verification(Map<String, String> mapper, List<String> audiences) {
        return new JwtVerification("RS256", "http://kc/realms/app/hasura/jwks", "http://kc/realms/app", audiences,
                HasuraMapperConfig.parse(mapper));
    }

    @Test
    void jsonPointerEscapesSlashesAndTildesPerRfc6901() {
        assertEquals("/https:~1~1hasura.io~1jwt~1claims", DdnAuthConfig.jsonPointer("https://hasura.io/jwt/claims"));
        assertEquals("/a~0~1b", DdnAuthConfig.jsonPointer("a~/b"));
        // Jackson's own RFC 6901 reader finds the member again.
        JsonNode payload = new ObjectMapper().valueToTree(Map.of("a~/b", 1, "https://hasura.io/jwt/claims", 2));
        assertEquals(1, payload.at(JsonPointer.compile(DdnAuthConfig.jsonPointer("a~/b"))).asInt());
        assertEquals(2, payload.at(DdnAuthConfig.jsonPointer("https://hasura.io/jwt/claims")).asInt());
    }

    @Test
    void jwtModeCarriesKeysIssuerNamespaceAndFormatAsDdnSpellsThem() {
        JsonNode config = new ObjectMapper().valueToTree(DdnAuthConfig.jwt(verification(Map.of(), List.of())));
        assertEquals("AuthConfig", config.get("kind").asText());
        assertEquals("v3", config.get("version").asText());
        JsonNode jwt = config.at("/definition/mode/jwt");
        assertEquals("Json", jwt.at("/claimsConfig/namespace/claimsFormat").asText());
        assertEquals("/https:~1~1hasura.io~1jwt~1claims", jwt.at("/claimsConfig/namespace/location").asText());
        assertEquals("BearerAuthorization", jwt.at("/tokenLocation/type").asText());
        assertEquals("http://kc/realms/app/hasura/jwks", jwt.at("/key/jwkFromUrl").asText());
        assertEquals("http://kc/realms/app", jwt.get("issuer").asText());
        assertFalse(jwt.has("audience"), "no audience mapper: nothing to check");
    }

    @Test
    void jwtModeFollowsAStringifiedMapperAndListsAudiences() {
        JsonNode jwt = new ObjectMapper().valueToTree(DdnAuthConfig.jwt(verification(
                Map.of("hasura.claims.format", "stringified_json", "claim.name", "ns"), List.of("api")))).at("/definition/mode/jwt");
        assertEquals("StringifiedJson", jwt.at("/claimsConfig/namespace/claimsFormat").asText());
        assertEquals("/ns", jwt.at("/claimsConfig/namespace/location").asText());
        assertEquals("[\"api\"]", jwt.get("audience").toString());
    }

    @Test
    void webhookModePostsTheForwardedAuthorizationHeader() {
        JsonNode hook = new ObjectMapper().valueToTree(DdnAuthConfig.webhook("http://kc/realms/app/hasura/webhook"))
                .at("/definition/mode/webhook");
        assertEquals("http://kc/realms/app/hasura/webhook", hook.at("/url/value").asText());
        assertEquals("POST", hook.get("method").asText());
        assertEquals("Authorization", hook.at("/customHeadersConfig/body/headers/forward/0").asText());
    }

    @Test
    void yamlIsTheSameDocumentEvenWithCharactersYamlWouldMisread() throws Exception {
        Map<String, Object> config = DdnAuthConfig.jwt(verification(Map.of("claim.name", "x:#y-'z\"~/{[*&!%@`"), List.of("no")));
        String yaml = DdnAuthConfigEndpoint.toYaml(config);
        assertEquals(new ObjectMapper().valueToTree(config), new YAMLMapper().readTree(yaml));
    }
}
