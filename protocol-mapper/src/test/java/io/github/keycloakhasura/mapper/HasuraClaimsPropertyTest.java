package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pure rules of {@link HasuraClaims} as properties, over many random configurations (including nonsense and
 * reserved names) and users: Hasura's {@code admin} is issued only when allow-listed, the default role is one of the
 * allowed roles, no computed claim names a role or a reserved Hasura variable except the three the mapper owns, and
 * every value but the allowed roles is a string. Seed printed; replay with {@code -Dhasura.claims.seed=<seed>}.
 */
class HasuraClaimsPropertyTest {

    private static final int CONFIGS = 4000;
    private static final int USERS_PER_CONFIG = 10;

    private static final List<String> ROLE_NAMES = List.of("user", "manager", "admin", "Admin", "editor", "hasura-admin",
            "hasura-user", "hasura-editor", "app-admin", "offline_access", "uma_authorization", "default-roles-app",
            "hasura-", "x-hasura-role");
    private static final List<String> VARIABLE_NAMES = List.of("org", "team", "role", "Role", "X-Hasura-Role",
            "x-hasura-ROLE", "allowed-roles", "X-Hasura-Allowed-Roles", "default-role", "user-id", "User-Id",
            "admin-secret", "roles", "role_id", "teams", "x-hasura-org-id", "groups");
    private static final List<String> ATTRIBUTES = List.of("org", "team", "hasura_default_role", "uid", "level");

    @Test
    void adminOnlyWhenAllowListedDefaultAmongAllowedAndNoReservedNames() {
        long seed = Long.getLong("hasura.claims.seed", System.nanoTime());
        System.out.println("HasuraClaimsPropertyTest seed: " + seed + " (replay with -Dhasura.claims.seed=" + seed + ")");
        Random random = new Random(seed);
        int refused = 0;
        int cases = 0;
        for (int c = 0; c < CONFIGS; c++) {
            Map<String, String> raw = randomConfig(random);
            HasuraMapperConfig config;
            try {
                config = HasuraMapperConfig.parse(raw);
            } catch (InvalidMapperConfigException e) {
                refused++;
                continue;
            }
            for (int u = 0; u < USERS_PER_CONFIG; u++) {
                HasuraClaims.Subject subject = randomSubject(random);
                Map<String, Object> claims = HasuraClaims.compute(config, subject);
                check(config, claims, "seed " + seed + ", config " + raw + ", subject " + subject);
                cases++;
            }
        }
        System.out.println("HasuraClaimsPropertyTest: " + cases + " cases checked, " + refused + " of " + CONFIGS
                + " random configurations refused as invalid");
        assertTrue(cases > CONFIGS, "too few valid configurations to mean anything: " + cases);
    }

    private static void check(HasuraMapperConfig config, Map<String, Object> claims, String where) {
        boolean adminAllowed = config.roles().allowList().contains(HasuraClaims.HASURA_ADMIN_ROLE);
        if (claims.isEmpty()) {
            // The only way to no claims: the fallback is an admin nobody allowed.
            assertEquals(HasuraClaims.HASURA_ADMIN_ROLE, config.roles().fallbackRole(), where);
            assertFalse(adminAllowed, where);
            return;
        }
        Object allowedValue = claims.get(HasuraMapperConfig.ALLOWED_ROLES);
        assertInstanceOf(List.class, allowedValue, where);
        List<?> allowed = (List<?>) allowedValue;
        assertFalse(allowed.isEmpty(), where);
        if (!adminAllowed) {
            assertFalse(allowed.contains(HasuraClaims.HASURA_ADMIN_ROLE), "admin issued without allow-list: " + where);
        }
        assertTrue(allowed.contains(claims.get(HasuraMapperConfig.DEFAULT_ROLE)), "default role not allowed: " + where);
        for (Map.Entry<String, Object> claim : claims.entrySet()) {
            String name = claim.getKey();
            if (name.equals(HasuraMapperConfig.ALLOWED_ROLES)) {
                continue;
            }
            assertInstanceOf(String.class, claim.getValue(), name + ": " + where);
            if (name.equals(HasuraMapperConfig.DEFAULT_ROLE) || name.equals(HasuraMapperConfig.USER_ID)) {
                continue;
            }
            assertFalse(HasuraReservedNames.isReserved(name), "reserved name " + name + " computed: " + where);
            assertTrue(name.startsWith(HasuraReservedNames.PREFIX) && name.equals(name.toLowerCase(java.util.Locale.ROOT)),
                    name + ": " + where);
        }
    }

    private static Map<String, String> randomConfig(Random random) {
        Map<String, String> raw = new HashMap<>();
        maybe(random, raw, HasuraMapperConfig.ROLES_SOURCE, pick(random, List.of("realm", "client", "realm_and_client")));
        raw.put(HasuraMapperConfig.ROLES_CLIENT, "hasura-app");
        maybe(random, raw, HasuraMapperConfig.ROLES_PREFIX, pick(random, List.of("hasura-", "app-", "x-")));
        maybe(random, raw, HasuraMapperConfig.ROLES_PREFIX_STRIP, pick(random, List.of("true", "false")));
        maybe(random, raw, HasuraMapperConfig.ROLES_ALLOWED, String.join(",", some(random, ROLE_NAMES, 4)));
        maybe(random, raw, HasuraMapperConfig.FALLBACK_ROLE, pick(random, List.of("user", "guest", "admin", "anonymous")));
        maybe(random, raw, HasuraMapperConfig.ROLE_PRIORITY, String.join(",", some(random, ROLE_NAMES, 4)));
        maybe(random, raw, HasuraMapperConfig.USER_ID_SOURCE, pick(random, List.of("id", "username")));
        maybe(random, raw, HasuraMapperConfig.CLAIMS_FORMAT, pick(random, List.of("json", "stringified_json")));
        if (random.nextBoolean()) {
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                String attribute = pick(random, ATTRIBUTES) + (random.nextInt(4) == 0 ? "[]" : "");
                entries.add(random.nextBoolean() ? attribute : attribute + ":" + pick(random, VARIABLE_NAMES));
            }
            raw.put(HasuraMapperConfig.SESSION_VARIABLES, String.join(",", entries));
        }
        maybe(random, raw, HasuraMapperConfig.GROUPS_VARIABLE, pick(random, VARIABLE_NAMES));
        return raw;
    }

    private static HasuraClaims.Subject randomSubject(Random random) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (String attribute : some(random, ATTRIBUTES, 3)) {
            attributes.put(attribute, some(random, ROLE_NAMES, 2).isEmpty() ? List.of("v") : some(random, ROLE_NAMES, 2));
        }
        return new HasuraClaims.Subject("id-" + random.nextInt(100), "user" + random.nextInt(100), attributes,
                some(random, ROLE_NAMES, 5), some(random, ROLE_NAMES, 3), some(random, List.of("/a", "/a/b", "/admin"), 2));
    }

    private static void maybe(Random random, Map<String, String> raw, String key, String value) {
        if (random.nextBoolean()) {
            raw.put(key, value);
        }
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static List<String> some(Random random, List<String> values, int max) {
        List<String> result = new ArrayList<>();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            String value = pick(random, values);
            if (!result.contains(value)) {
                result.add(value);
            }
        }
        return result;
    }
}
