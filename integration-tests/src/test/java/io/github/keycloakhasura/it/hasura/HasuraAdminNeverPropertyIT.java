package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Hasura admin never", as a property against the real Keycloak: random mapper configurations (sources, prefixes,
 * strip, allow-lists, fallback, priority, default-role attribute, user id, session and groups variables, formats,
 * namespace) saved through the admin REST API, times random users (realm roles, composites, client roles, groups,
 * attributes), each checked at every endpoint that answers session variables: the access token, the webhook (GET and
 * POST, with random {@code X-Hasura-Role}s), {@code whoami { hasura profile { role } }} and {@code jwt-config}.
 * <ul>
 *   <li>{@code admin} is an allowed role, a default role or a webhook role only when the allow-list names it;</li>
 *   <li>the webhook's role is the requested one (trimmed) or the default, and always one of the token's allowed roles;
 *   it refuses (401) any other; its answer names no role but {@code X-Hasura-Role};</li>
 *   <li>the token, the webhook and {@code whoami} agree on every session variable;</li>
 *   <li>no claim is a reserved Hasura name but the three the mapper owns; a configuration that would produce one (or
 *   an {@code admin} fallback/priority nobody allowed) is refused when saved;</li>
 *   <li>{@code jwt-config} describes the saved namespace and format, with the export's audience.</li>
 * </ul>
 * A case is one endpoint answer checked; the count and the seed are printed. Replay a run with
 * {@code -Dhasura.property.seed=<seed>}; size with {@code -Dhasura.property.configs=} and {@code -Dhasura.property.users=}.
 */
@ExtendWith(KeycloakExtension.class)
class HasuraAdminNeverPropertyIT {

    private static final int REQUESTS_PER_USER = 8;
    /** Names Hasura reserves: no option may produce them (the mapper writes the last three itself). */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("x-hasura-role", "x-hasura-admin-secret",
            "x-hasura-access-key", "x-hasura-use-backend-only-permissions", "x-hasura-allowed-roles",
            "x-hasura-default-role", "x-hasura-user-id", "x-hasura-auth-elevated");

    @Test
    void adminOnlyWhenAllowListedAndTokenWebhookAndWhoamiAgree(KeycloakServer server) {
        long seed = Long.getLong("hasura.property.seed", System.nanoTime());
        int configs = Integer.getInteger("hasura.property.configs", 40);
        int users = Integer.getInteger("hasura.property.users", 10);
        System.out.println("HasuraAdminNeverPropertyIT seed: " + seed + " (replay with -Dhasura.property.seed=" + seed + ")");
        Random random = new Random(seed);
        long started = System.nanoTime();
        int cases = 0;
        int refused = 0;
        try (HasuraRealm realm = HasuraRealm.imported(server, "it-admin-never", export -> { })) {
            RandomHasuraWorld world = new RandomHasuraWorld(random, realm);
            Map<String, String> groups = world.createRolesAndGroups();
            List<String[]> people = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                people.add(world.randomUser(groups));
            }
            String models = realm.hasuraScopeModels();
            ObjectNode mapper = realm.hasuraScopeMapper();
            for (int c = 0; c < configs; c++) {
                RandomHasuraWorld.MapperConfig config = world.randomConfig();
                String where = "seed " + seed + ", configuration " + c + " " + config.options();
                ObjectNode saved = mapper.deepCopy();
                config.options().forEach(((ObjectNode) saved.get("config"))::put);
                Http.Response put = realm.admin.call("PUT", models + "/" + mapper.get("id").asText(), saved);
                cases++;
                if (config.refusedOnSave()) {
                    assertEquals(400, put.status(), "must be refused when saved: " + where + " -> " + put);
                    refused++;
                    continue;
                }
                assertEquals(204, put.status(), "must be saved: " + where + " -> " + put);
                cases += checkJwtConfig(realm, config, where);
                for (String[] user : people) {
                    cases += checkUser(realm, world, config, user, where + ", user " + user[1]);
                }
            }
        }
        System.out.printf("HasuraAdminNeverPropertyIT: %d cases (endpoint answers) checked over %d configurations "
                        + "(%d refused on save) x %d users in %d s; seed %d%n", cases, configs, refused, users,
                (System.nanoTime() - started) / 1_000_000_000L, seed);
    }

    private static int checkJwtConfig(HasuraRealm realm, RandomHasuraWorld.MapperConfig config, String where) {
        Http.Response r = realm.get("/hasura/jwt-config");
        assertEquals(200, r.status(), "jwt-config: " + where + " -> " + r);
        assertEquals(config.namespace(), r.json().path("claims_namespace").asText(), "jwt-config: " + where);
        assertEquals(config.format(), r.json().path("claims_format").asText(), "jwt-config: " + where);
        assertEquals("hasura", r.json().path("audience").asText(), "jwt-config: " + where);
        return 1;
    }

    /** Checks one user's token, whoami and webhook answers; returns the number of endpoint answers checked. */
    private static int checkUser(HasuraRealm realm, RandomHasuraWorld world, RandomHasuraWorld.MapperConfig config,
                                 String[] user, String where) {
        String access = realm.accessToken(user[1]);
        JsonNode claims = claims(Jwt.payload(access).get(config.namespace()), where);
        List<String> allowed = new ArrayList<>();
        claims.get("x-hasura-allowed-roles").forEach(n -> allowed.add(n.asText()));
        String defaultRole = claims.path("x-hasura-default-role").asText();
        String token = "token " + claims + ": " + where;
        assertFalse(allowed.isEmpty(), token);
        assertTrue(config.allowsAdmin() || !allowed.contains("admin"), "admin issued without allow-list: " + token);
        assertTrue(allowed.contains(defaultRole), "default role not allowed: " + token);
        Map<String, String> variables = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = claims.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> claim = it.next();
            String name = claim.getKey();
            assertTrue(name.startsWith("x-hasura-") && name.equals(name.toLowerCase(Locale.ROOT)), name + ": " + token);
            if (name.equals("x-hasura-allowed-roles") || name.equals("x-hasura-default-role")) {
                continue;
            }
            assertTrue(claim.getValue().isTextual(), name + " is a string: " + token);
            assertFalse(RESERVED.contains(name) && !name.equals("x-hasura-user-id"), "reserved name " + name + ": " + token);
            variables.put(name, claim.getValue().asText());
        }
        int cases = 1;

        JsonNode whoami = realm.graphql("{ whoami { hasura profile { role } } }", null, access);
        assertTrue(whoami.path("errors").isMissingNode(), "whoami: " + whoami + ", " + token);
        assertEquals(claims, whoami.at("/data/whoami/hasura"), "whoami's hasura is the token's: " + token);
        assertEquals(defaultRole, whoami.at("/data/whoami/profile/role").asText(), "whoami's profile.role: " + token);
        cases++;

        for (int i = 0; i < REQUESTS_PER_USER; i++) {
            String requested = world.randomRequestedRole(allowed);
            boolean post = world.nextInt(2) == 0;
            Http.Response answer = post ? realm.webhookPost(access, requested) : realm.webhookGet(access, requested);
            checkWebhook(answer, requested, allowed, defaultRole, variables, config,
                    "webhook " + (post ? "POST" : "GET") + " as '" + requested + "' -> " + answer + ", " + token);
            cases++;
        }
        return cases;
    }

    private static void checkWebhook(Http.Response answer, String requested, List<String> allowed, String defaultRole,
                                     Map<String, String> variables, RandomHasuraWorld.MapperConfig config, String where) {
        String expected = requested == null || requested.isBlank() ? defaultRole : requested.trim();
        if (!allowed.contains(expected)) {
            assertEquals(401, answer.status(), "a role the token does not allow: " + where);
            return;
        }
        assertEquals(200, answer.status(), where);
        JsonNode body = answer.json();
        assertEquals(expected, body.path("X-Hasura-Role").asText(), where);
        assertTrue(config.allowsAdmin() || !expected.equals("admin"), "webhook answered admin without allow-list: " + where);
        Map<String, String> rest = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey().toLowerCase(Locale.ROOT);
            if (field.getKey().equals("X-Hasura-Role") || name.equals("expires")) {
                continue;
            }
            assertFalse(name.equals("x-hasura-role") || name.equals("x-hasura-allowed-roles")
                    || name.equals("x-hasura-default-role"), "a second role name " + field.getKey() + ": " + where);
            rest.put(name, field.getValue().asText());
        }
        assertEquals(variables, rest, "the webhook's session variables are the token's: " + where);
    }

    /** The Hasura claims object of a token (parsed when stringified). */
    private static JsonNode claims(JsonNode value, String where) {
        assertNotNull(value, "no Hasura claims: " + where);
        if (!value.isTextual()) {
            return value;
        }
        try {
            return Http.JSON.readTree(value.asText());
        } catch (IOException e) {
            throw new AssertionError("stringified claims are not JSON: " + value + ", " + where, e);
        }
    }
}
