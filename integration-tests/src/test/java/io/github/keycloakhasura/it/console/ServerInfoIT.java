package io.github.keycloakhasura.it.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.mapper.ClaimsQueryOptions;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * What the extension tells the admin console's "Provider info" and mapper pages ({@code GET /admin/serverinfo}):
 * the extension version of each provider factory (ServerInfoAwareProviderFactory) and the mapper's options.
 */
@ExtendWith(KeycloakExtension.class)
class ServerInfoIT {

    /** The project version, as written into the jars' manifests (set by the failsafe configuration). */
    private static final String VERSION = System.getProperty("extension.version");

    private static JsonNode serverInfo;

    @BeforeAll
    static void setUp(KeycloakServer server) {
        Http.Response r = Http.get(server.baseUrl() + "/admin/serverinfo", new KeycloakAdmin(server).token());
        assertEquals(200, r.status(), r.toString());
        serverInfo = r.json();
    }

    private static JsonNode provider(String spi, String id) {
        return serverInfo.path("providers").path(spi).path("providers").path(id);
    }

    private static void assertVersion(JsonNode provider, String what) {
        assertFalse(provider.isMissingNode(), what + " is not deployed");
        String version = provider.path("operationalInfo").path("version").asText();
        assertFalse(version.isBlank(), what + " reports no version: " + provider);
        assertFalse("dev".equals(version), what + " reports no jar version (running from classes?)");
        if (VERSION != null) {
            assertEquals(VERSION, version, what);
        }
    }

    @Test
    void mapperReportsTheExtensionVersion() {
        assertVersion(provider("protocol-mapper", "hasura-claims-mapper"), "protocol-mapper hasura-claims-mapper");
    }

    @Test
    void hasuraEndpointsReportTheExtensionVersionAndTheirOptions() {
        JsonNode hasura = provider("realm-restapi-extension", "hasura");
        assertVersion(hasura, "realm-restapi-extension hasura");
        JsonNode info = hasura.path("operationalInfo");
        assertEquals(String.valueOf(KeycloakExtension.HASURA_JWKS_MAX_AGE), info.path("jwks-max-age").asText(), info.toString());
        assertEquals("hasura-app", info.path("client-id").asText(), info.toString());
    }

    @Test
    void graphqlEndpointReportsTheExtensionVersionWhenDeployed() {
        JsonNode graphql = provider("realm-restapi-extension", "graphql");
        assumeFalse(graphql.isMissingNode(), "no graphql realm-restapi-extension in this build");
        assertVersion(graphql, "realm-restapi-extension graphql");
    }

    @Test
    void graphqlEndpointReportsThatFastListsAreOnByDefault() {
        JsonNode graphql = provider("realm-restapi-extension", "graphql");
        assumeFalse(graphql.isMissingNode(), "no graphql realm-restapi-extension in this build");
        JsonNode info = graphql.path("operationalInfo");
        assertEquals("true", info.path("fast-lists").asText(), info.toString());
    }

    @Test
    void mapperTypeOffersEveryConfigKeyTheMapperReads() {
        JsonNode type = null;
        for (JsonNode candidate : serverInfo.path("protocolMapperTypes").path("openid-connect")) {
            if ("hasura-claims-mapper".equals(candidate.path("id").asText())) {
                type = candidate;
            }
        }
        assertTrue(type != null, "hasura-claims-mapper is not an openid-connect mapper type");
        assertEquals("Hasura claims", type.path("name").asText());
        assertEquals("Token mapper", type.path("category").asText());
        assertFalse(type.path("helpText").asText().isBlank());

        List<String> names = new ArrayList<>();
        for (JsonNode property : type.path("properties")) {
            String name = property.path("name").asText();
            names.add(name);
            assertFalse(property.path("label").asText().isBlank(), name + " has no label");
            assertFalse(property.path("helpText").asText().isBlank(), name + " has no help text");
        }
        List<String> keys = List.of(HasuraMapperConfig.CLAIM_NAME, HasuraMapperConfig.CLAIMS_FORMAT,
                HasuraMapperConfig.ROLES_SOURCE, HasuraMapperConfig.ROLES_CLIENT, HasuraMapperConfig.ROLES_PREFIX,
                HasuraMapperConfig.ROLES_PREFIX_STRIP, HasuraMapperConfig.ROLES_ALLOWED, HasuraMapperConfig.FALLBACK_ROLE,
                HasuraMapperConfig.ROLE_PRIORITY, HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE,
                HasuraMapperConfig.USER_ID_SOURCE, HasuraMapperConfig.USER_ID_ATTRIBUTE,
                HasuraMapperConfig.SESSION_VARIABLES, HasuraMapperConfig.GROUPS_VARIABLE,
                "access.token.claim", "lightweight.claim", "id.token.claim", "userinfo.token.claim",
                "introspection.token.claim",
                ClaimsQueryOptions.URL, ClaimsQueryOptions.QUERY, ClaimsQueryOptions.MAP, ClaimsQueryOptions.TTL,
                ClaimsQueryOptions.TIMEOUT, ClaimsQueryOptions.ON_FAILURE);
        for (String key : keys) {
            assertTrue(names.contains(key), key + " is not offered in the console: " + names);
        }
    }
}
