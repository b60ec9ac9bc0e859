package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.github.keycloakhasura.it.stack.StackFiles.compose;
import static io.github.keycloakhasura.it.stack.StackFiles.composeJwtSecret;
import static io.github.keycloakhasura.it.stack.StackFiles.exportedMapperConfig;
import static io.github.keycloakhasura.it.stack.StackFiles.realmExport;
import static io.github.keycloakhasura.it.stack.StackFiles.root;
import static io.github.keycloakhasura.it.stack.StackFiles.withDefaults;
import static io.github.keycloakhasura.it.stack.StackFiles.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offline checks that docker-compose.yml, realm-export/ and hasura/ agree on realm, client, URLs, claims namespace
 * and issuer (there is no Docker engine to run the stack here).
 */
class StackConfigurationTest {

    private static final String KEYCLOAK_INTERNAL = "http://keycloak:8080";

    private static String realmName() {
        return realmExport().get("realm").asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    @Test
    void composeFileIsValidForDockerCompose() {
        // `docker compose up` as the README says: docker-compose.yml plus docker-compose.override.yml (JWT mode).
        JsonNode hasura = StackFiles.composeConfig().at("/services/graphql-engine");
        assertTrue(hasura.at("/environment/HASURA_GRAPHQL_JWT_SECRET").isTextual(), hasura.toString());
        // The production override on top of the dev file is valid too.
        assertTrue(StackFiles.composeConfig("docker-compose.yml", "docker-compose.prod.yml").at("/services/keycloak").isObject());
    }

    @Test
    void keycloakServiceRunsTheContractVersionWithTheBuiltJarsAndTheRealmExport() {
        JsonNode keycloak = compose().at("/services/keycloak");
        // The image is built from Containerfile (Keycloak version and jars checked by ContainerfileTest), not
        // assembled from host-built jars.
        assertEquals(".", keycloak.at("/build/context").asText());
        assertEquals(ContainerfileTest.CONTAINERFILE, keycloak.at("/build/dockerfile").asText());
        assertTrue(strings(keycloak.get("command")).contains("--import-realm"));
        List<String> volumes = strings(keycloak.get("volumes"));
        assertTrue(volumes.contains("./realm-export:/opt/keycloak/data/import:ro"), volumes.toString());
        assertTrue(volumes.stream().noneMatch(v -> v.contains("/opt/keycloak/providers")), "jars come from the image: " + volumes);
        assertEquals("true", keycloak.at("/environment/KC_HEALTH_ENABLED").asText());
        assertTrue(keycloak.at("/healthcheck/test").toString().contains("/health/ready"));
        assertEquals("service_healthy", compose().at("/services/graphql-engine/depends_on/keycloak/condition").asText());
    }

    @Test
    void jwtSecretMatchesTheRealmExportAndTheMapper() {
        JsonNode secret = composeJwtSecret();
        JsonNode mapper = exportedMapperConfig();
        String publicUrl = withDefaults(compose().at("/services/keycloak/environment/KC_HOSTNAME").asText());
        assertEquals(publicUrl + "/realms/" + realmName(), secret.get("issuer").asText());
        assertEquals(KEYCLOAK_INTERNAL + "/realms/" + realmName() + "/hasura/jwks", secret.get("jwk_url").asText());
        assertEquals(mapper.get("claim.name").asText(), secret.get("claims_namespace").asText());
        assertEquals(mapper.get("hasura.claims.format").asText(), secret.get("claims_format").asText());
        JsonNode audience = StackFiles.exportedMapperConfig("oidc-audience-mapper");
        assertEquals(audience.get("included.custom.audience").asText(), secret.get("audience").asText());
        assertEquals("https://hasura.io/jwt/claims", secret.get("claims_namespace").asText());
        assertEquals("RS256", secret.get("type").asText());
    }

    @Test
    void envExampleDefinesEverySecretComposeRequires() throws IOException {
        String compose = StackFiles.text("docker-compose.yml") + StackFiles.text("docker-compose.prod.yml");
        Set<String> example = new HashSet<>();
        for (String line : Files.readAllLines(root().resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                example.add(line.substring(0, line.indexOf('=')));
            }
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(compose);
        while (m.find()) {
            assertTrue(example.contains(m.group(1)), m.group(1) + " is required by compose but missing in .env.example");
        }
        assertTrue(StackFiles.text(".gitignore").lines().anyMatch(".env"::equals), ".env must never be committed");
    }

    @Test
    void remoteSchemaPointsAtTheRealmGraphqlEndpointAndForwardsClientHeaders() {
        JsonNode remote = yaml("hasura/metadata/remote_schemas.yaml").get(0);
        JsonNode definition = remote.get("definition");
        String env = definition.get("url_from_env").asText();
        assertEquals(KEYCLOAK_INTERNAL + "/realms/" + realmName() + "/graphql",
                compose().at("/services/graphql-engine/environment/" + env).asText());
        assertTrue(definition.get("forward_client_headers").asBoolean());
        assertTrue(definition.get("timeout_seconds").asInt() > 0);
    }

    @Test
    void permissionsUseOnlyRolesTheRealmDefinesPlusTheUnauthorizedRole() {
        Set<String> realmRoles = new HashSet<>();
        realmExport().at("/roles/realm").forEach(r -> realmRoles.add(r.get("name").asText()));
        String unauthorized = StackFiles.composeJwtMode().at("/services/graphql-engine/environment/HASURA_GRAPHQL_UNAUTHORIZED_ROLE").asText();
        assertFalse(realmRoles.contains(unauthorized), "the unauthorized role must not be a role users can hold");

        JsonNode notes = yaml("hasura/metadata/databases/default/tables/public_notes.yaml");
        Set<String> tableRoles = new HashSet<>();
        for (String kind : List.of("insert_permissions", "select_permissions", "update_permissions", "delete_permissions")) {
            notes.path(kind).forEach(p -> tableRoles.add(p.get("role").asText()));
        }
        assertEquals(Set.of("user", "manager", "script"), tableRoles);
        assertTrue(realmRoles.containsAll(tableRoles));

        Set<String> remoteRoles = new HashSet<>();
        yaml("hasura/metadata/remote_schemas.yaml").get(0).path("permissions").forEach(p -> remoteRoles.add(p.get("role").asText()));
        assertEquals(Set.of(unauthorized, "user", "manager", "script"), remoteRoles);
    }

    @Test
    void rowPermissionsAreKeyedOnTheSessionUserId() {
        JsonNode notes = yaml("hasura/metadata/databases/default/tables/public_notes.yaml");
        for (JsonNode p : notes.get("select_permissions")) {
            if (p.get("role").asText().equals("user")) {
                assertEquals("X-Hasura-User-Id", p.at("/permission/filter/owner_id/_eq").asText());
            }
        }
        for (JsonNode p : notes.get("insert_permissions")) {
            assertEquals("x-hasura-user-id", p.at("/permission/set/owner_id").asText().toLowerCase());
        }
        assertEquals("user", exportedMapperConfig().get("hasura.roles.fallback").asText());
    }
    /**
     * Issue 23's script role: a realm role an admin grants (never a default role, never the fallback or a priority
     * role, so no interactive token defaults to it), allowed by the export's mapper so a personal access token can be
     * limited to it, and in Hasura it reads and adds its owner's notes but changes and deletes none.
     */
    @Test
    void theScriptRoleIsGrantedByAnAdminNeverDefaultAndChangesNoNote() {
        Set<String> realmRoles = new HashSet<>();
        realmExport().at("/roles/realm").forEach(r -> realmRoles.add(r.get("name").asText()));
        assertTrue(realmRoles.contains("script"), realmRoles.toString());
        String defaultRole = realmExport().at("/defaultRole/name").asText();
        realmExport().at("/roles/realm").forEach(r -> {
            if (r.get("name").asText().equals(defaultRole)) {
                assertFalse(r.at("/composites/realm").toString().contains("\"script\""), "script is not a default role: " + r);
            }
        });
        JsonNode mapper = exportedMapperConfig();
        assertTrue(List.of(mapper.get("hasura.roles.allowed").asText().split(",")).contains("script"), mapper.toString());
        assertFalse(List.of(mapper.get("hasura.roles.priority").asText().split(",")).contains("script"), mapper.toString());
        assertFalse(mapper.get("hasura.roles.fallback").asText().equals("script"), mapper.toString());

        JsonNode notes = yaml("hasura/metadata/databases/default/tables/public_notes.yaml");
        for (String kind : List.of("update_permissions", "delete_permissions")) {
            notes.path(kind).forEach(p -> assertFalse(p.get("role").asText().equals("script"), kind + ": " + p));
        }
        int found = 0;
        for (String kind : List.of("select_permissions", "insert_permissions")) {
            for (JsonNode p : notes.path(kind)) {
                if (p.get("role").asText().equals("script")) {
                    found++;
                    JsonNode rule = kind.startsWith("select") ? p.at("/permission/filter/owner_id/_eq") : p.at("/permission/set/owner_id");
                    assertEquals("x-hasura-user-id", rule.asText().toLowerCase(), kind + ": only the owner's notes: " + p);
                }
            }
        }
        assertEquals(2, found, "script reads and adds notes");
    }
}
