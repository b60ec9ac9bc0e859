package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import static io.github.keycloakhasura.it.stack.StackFiles.composeConfig;
import static io.github.keycloakhasura.it.stack.StackFiles.realmExport;
import static io.github.keycloakhasura.it.stack.StackFiles.root;
import static io.github.keycloakhasura.it.stack.StackFiles.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose stack starts a Hasura that can start: JWT mode by default, webhook mode with docker-compose.webhook.yml,
 * checked on the configuration {@code docker-compose config} merges (Hasura refuses to start with
 * {@code HASURA_GRAPHQL_AUTH_HOOK} beside {@code HASURA_GRAPHQL_JWT_SECRET} or {@code HASURA_GRAPHQL_UNAUTHORIZED_ROLE},
 * and either needs {@code HASURA_GRAPHQL_ADMIN_SECRET}: setupAuthMode in Hasura's Server/Auth.hs).
 */
class HasuraAuthModesTest {

    private static final String AUTH_HOOK = "HASURA_GRAPHQL_AUTH_HOOK";
    private static final String JWT_SECRET = "HASURA_GRAPHQL_JWT_SECRET";
    private static final String UNAUTHORIZED_ROLE = "HASURA_GRAPHQL_UNAUTHORIZED_ROLE";
    private static final String ADMIN_SECRET = "HASURA_GRAPHQL_ADMIN_SECRET";
    private static final String WEBHOOK_UNAUTHENTICATED_ROLE = "KC_SPI_REALM_RESTAPI_EXTENSION__HASURA__WEBHOOK_UNAUTHENTICATED_ROLE";

    private static String realm() {
        return realmExport().get("realm").asText();
    }

    @Test
    void dockerComposeUpStartsHasuraInJwtMode() {
        JsonNode env = composeConfig().at("/services/graphql-engine/environment");
        assertTrue(env.has(JWT_SECRET), env.toString());
        assertTrue(env.has(UNAUTHORIZED_ROLE), env.toString());
        assertTrue(env.has(ADMIN_SECRET), env.toString());
        assertFalse(env.has(AUTH_HOOK), "JWT mode must not set the auth hook: " + env);
        assertEquals(StackFiles.composeJwtSecret(), StackFiles.JSON.valueToTree(readJson(env.get(JWT_SECRET).asText())));
    }

    @Test
    void webhookOverrideYieldsAHasuraInWebhookModeOnly() {
        JsonNode merged = composeConfig("docker-compose.yml", "docker-compose.webhook.yml");
        JsonNode env = merged.at("/services/graphql-engine/environment");
        assertEquals("http://keycloak:8080/realms/" + realm() + "/hasura/webhook", env.path(AUTH_HOOK).asText(), env.toString());
        assertEquals("GET", env.path("HASURA_GRAPHQL_AUTH_HOOK_MODE").asText("GET"));
        assertFalse(env.has(JWT_SECRET), "Hasura refuses to start with both the auth hook and a JWT secret: " + env);
        assertFalse(env.has(UNAUTHORIZED_ROLE), "Hasura refuses to start with the auth hook and an unauthorized role: " + env);
        assertTrue(env.has(ADMIN_SECRET), "the auth hook requires an admin secret: " + env);

        // Token-less requests get the same role from the webhook that JWT mode's unauthorized role gives them.
        String anonymous = StackFiles.composeJwtMode().at("/services/graphql-engine/environment/" + UNAUTHORIZED_ROLE).asText();
        assertEquals(anonymous, merged.at("/services/keycloak/environment/" + WEBHOOK_UNAUTHENTICATED_ROLE).asText());
        Set<String> remoteRoles = new HashSet<>();
        yaml("hasura/metadata/remote_schemas.yaml").get(0).path("permissions").forEach(p -> remoteRoles.add(p.get("role").asText()));
        assertTrue(remoteRoles.contains(anonymous), remoteRoles.toString());
        // Everything else is the main stack's.
        assertEquals(composeConfig().at("/services/graphql-engine/image"), merged.at("/services/graphql-engine/image"));
    }

    @Test
    void envExampleSecretsAndTheirGeneratorAreSafeInsideTheDatabaseUrl() throws IOException {
        Pattern urlSafe = Pattern.compile("[A-Za-z0-9._~-]+");
        for (String line : Files.readAllLines(root().resolve(".env.example"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String name = line.substring(0, line.indexOf('='));
            String value = line.substring(line.indexOf('=') + 1);
            if (name.endsWith("PASSWORD") || name.endsWith("SECRET")) {
                assertTrue(urlSafe.matcher(value).matches(), name + "=" + value + " is not safe in a URL");
            }
        }
        String example = StackFiles.text(".env.example");
        assertTrue(example.contains("openssl rand -hex 32"), example);
        assertFalse(example.contains("rand -base64"), "base64 secrets contain / + =, which break postgres:// URLs");
        assertFalse(StackFiles.text("README.md").contains("openssl rand -base64"), "README recommends base64 secrets");
        assertTrue(StackFiles.compose().at("/services/graphql-engine/environment/HASURA_GRAPHQL_DATABASE_URL").asText()
                .contains("${HASURA_DB_PASSWORD}@"), "the password is pasted into the database URL, hence the rule");
    }

    /**
     * The pinned Hasura is a v2 cli-migrations release outside every advisory known to the project: GHSA-r27x-gc74-qmxh
     * (CVE-2026-54698, row filters bypassed through table computed fields) affects every release before 2.49.2 except
     * 2.45.5 and later 2.45 patches. Add an advisory here when one is published.
     */
    @Test
    void hasuraImageIsAV2CliMigrationsReleaseWithoutAKnownAdvisory() {
        String image = StackFiles.compose().at("/services/graphql-engine/image").asText();
        java.util.regex.Matcher m = Pattern.compile("hasura/graphql-engine:v2\\.(\\d+)\\.(\\d+)\\.cli-migrations-v3").matcher(image);
        assertTrue(m.matches(), image);
        int minor = Integer.parseInt(m.group(1));
        int patch = Integer.parseInt(m.group(2));
        assertFalse(affectedByComputedFieldBypass(minor, patch), image + " is affected by GHSA-r27x-gc74-qmxh (fixed in 2.49.2)");
        // the rule itself, on the releases the advisory names
        assertTrue(affectedByComputedFieldBypass(48, 16));
        assertTrue(affectedByComputedFieldBypass(49, 1));
        assertTrue(affectedByComputedFieldBypass(45, 4));
        assertFalse(affectedByComputedFieldBypass(45, 5));
        assertFalse(affectedByComputedFieldBypass(49, 2));
    }

    private static boolean affectedByComputedFieldBypass(int minor, int patch) {
        if (minor == 45) {
            return patch < 5;
        }
        return minor < 49 || (minor == 49 && patch < 2);
    }

    private static Object readJson(String text) {
        try {
            return StackFiles.JSON.readValue(text, Object.class);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
