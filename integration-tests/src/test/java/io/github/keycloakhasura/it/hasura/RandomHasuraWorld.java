package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The random side of {@link HasuraAdminNeverPropertyIT}: a realm's roles (realm, composite, client), groups and users
 * with random roles, groups and attributes, and random Hasura mapper configurations, all drawn from one seeded
 * {@link Random}. Names are chosen so that Hasura's {@code admin} is reachable in many ways: a realm role, a client
 * role, a composite, a group, a prefixed role, the default-role attribute, a session variable's value.
 */
final class RandomHasuraWorld {

    static final List<String> REALM_ROLES = List.of("manager", "admin", "Admin", "editor", "hasura-admin", "hasura-user",
            "hasura-editor", "app-admin", "app-user", "lead", "hasura-lead");
    static final List<String> CLIENT_ROLES = List.of("admin", "editor", "viewer", "hasura-admin", "app-admin");
    /** Role names for allow-lists, priorities, fallbacks, the default-role attribute and requested roles. */
    static final List<String> ROLE_WORDS = List.of("user", "manager", "admin", "Admin", "editor", "viewer", "app-admin",
            "guest", "lead");
    static final List<String> VARIABLE_NAMES = List.of("org", "team", "org-id", "teams", "region", "X-Hasura-Tenant");
    static final List<String> RESERVED_NAMES = List.of("role", "X-Hasura-Role", "x-hasura-ROLE", "default-role",
            "Allowed-Roles", "user-id", "auth-elevated", "X-Hasura-Auth-Elevated");
    static final List<String> ATTRIBUTES = List.of("team", "org", "hasura_default_role", "uid");

    /** A generated mapper configuration and what the admin REST API must answer to it. */
    record MapperConfig(Map<String, String> options, boolean refusedOnSave) {

        boolean allowsAdmin() {
            return allowList().contains("admin");
        }

        List<String> allowList() {
            String raw = options.getOrDefault("hasura.roles.allowed", "");
            return raw.isBlank() ? List.of() : List.of(raw.split(","));
        }

        String namespace() {
            return options.getOrDefault("claim.name", "https://hasura.io/jwt/claims");
        }

        String format() {
            return options.getOrDefault("hasura.claims.format", "json");
        }
    }

    private final Random random;
    private final HasuraRealm realm;
    private final String clientUuid;

    RandomHasuraWorld(Random random, HasuraRealm realm) {
        this.random = random;
        this.realm = realm;
        this.clientUuid = realm.admin.clientUuid(HasuraRealm.CLIENT);
    }

    /** Roles (composites: lead = admin + manager, hasura-lead = hasura-admin + hasura-editor), client roles, groups. */
    Map<String, String> createRolesAndGroups() {
        for (String role : REALM_ROLES) {
            if (!List.of("manager", "lead", "hasura-lead").contains(role)) { // manager: the export's
                realm.admin.createRealmRole(role);
            }
        }
        realm.admin.createRealmRole("lead", "admin", "manager");
        realm.admin.createRealmRole("hasura-lead", "hasura-admin", "hasura-editor");
        CLIENT_ROLES.forEach(role -> realm.admin.createClientRole(clientUuid, role));
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("admins", group(null, "admins", List.of("admin"), List.of("admin")));
        String staff = group(null, "staff", List.of(), List.of());
        groups.put("staff", staff);
        groups.put("sales", group(staff, "sales", List.of("hasura-editor"), List.of("viewer", "hasura-admin")));
        groups.put("ops", group(null, "ops", List.of("app-admin", "lead"), List.of()));
        return groups;
    }

    private String group(String parent, String name, List<String> realmRoles, List<String> clientRoles) {
        String id = parent == null ? realm.admin.createGroup(name) : realm.admin.createSubGroup(parent, name);
        if (!realmRoles.isEmpty()) {
            ok(realm.admin.call("POST", "/groups/" + id + "/role-mappings/realm",
                    realmRoles.stream().map(r -> rep("/roles/" + r)).toList()));
        }
        if (!clientRoles.isEmpty()) {
            ok(realm.admin.call("POST", "/groups/" + id + "/role-mappings/clients/" + clientUuid,
                    clientRoles.stream().map(r -> rep("/clients/" + clientUuid + "/roles/" + r)).toList()));
        }
        return id;
    }

    private JsonNode rep(String path) {
        return ok(realm.admin.call("GET", path, null)).json();
    }

    private static Http.Response ok(Http.Response r) {
        if (r.status() >= 300) {
            throw new IllegalStateException(r.toString());
        }
        return r;
    }

    /** A user with random realm roles, client roles, groups and attributes; returns [id, username]. */
    String[] randomUser(Map<String, String> groups) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            attributes.put("team", List.of(pick(List.of("admin", "ops", "x-hasura-role", "sales"))));
        }
        if (random.nextBoolean()) {
            attributes.put("org", random.nextBoolean() ? List.of("o1") : List.of("o1", "o 2"));
        }
        if (random.nextInt(3) > 0) {
            attributes.put("hasura_default_role", List.of(pick(ROLE_WORDS)));
        }
        if (random.nextBoolean()) {
            attributes.put("uid", List.of("uid-" + random.nextInt(1000)));
        }
        String[] user = realm.user(attributes, some(REALM_ROLES, 4).toArray(String[]::new));
        List<String> clientRoles = some(CLIENT_ROLES, 3);
        if (!clientRoles.isEmpty()) {
            realm.admin.addClientRoles(user[0], clientUuid, clientRoles.toArray(String[]::new));
        }
        for (String group : some(List.copyOf(groups.keySet()), 2)) {
            realm.admin.joinGroup(user[0], groups.get(group));
        }
        return user;
    }

    /** A random configuration; refused on save exactly when it names a reserved variable (or, with organizations on, an organization variable) or an admin nobody allowed. */
    MapperConfig randomConfig() {
        Map<String, String> options = new LinkedHashMap<>();
        boolean refused = false;
        String source = pick(List.of("realm", "client", "realm_and_client"));
        options.put("hasura.roles.source", source);
        options.put("hasura.roles.client", HasuraRealm.CLIENT);
        if (random.nextBoolean()) {
            options.put("hasura.roles.prefix", pick(List.of("hasura-", "app-")));
            options.put("hasura.roles.prefix.strip", String.valueOf(random.nextInt(4) > 0));
        }
        List<String> allowed = some(ROLE_WORDS, 4);
        options.put("hasura.roles.allowed", String.join(",", allowed));
        boolean adminAllowed = allowed.contains("admin");
        String fallback = pick(List.of("user", "user", "guest", "anonymous", "admin"));
        if (fallback.equals("admin") && !adminAllowed && random.nextInt(3) > 0) {
            fallback = "user"; // keep most configurations savable; the rest prove the refusal
        }
        options.put("hasura.roles.fallback", fallback);
        refused |= fallback.equals("admin") && !adminAllowed;
        List<String> priority = some(ROLE_WORDS, 3);
        if (priority.contains("admin") && !adminAllowed && random.nextInt(3) > 0) {
            priority.remove("admin");
        }
        options.put("hasura.roles.priority", String.join(",", priority));
        refused |= priority.contains("admin") && !adminAllowed;
        options.put("hasura.default-role.attribute", random.nextInt(4) == 0 ? "team" : "hasura_default_role");
        options.put("hasura.user-id.source", pick(List.of("id", "username", "attribute")));
        options.put("hasura.user-id.attribute", "uid");
        List<String> names = new ArrayList<>(some(VARIABLE_NAMES, 3));
        List<String> entries = new ArrayList<>();
        for (String name : names) {
            boolean reserved = random.nextInt(16) == 0;
            String variable = reserved ? pick(RESERVED_NAMES) : name;
            refused |= reserved;
            entries.add(pick(ATTRIBUTES) + (random.nextInt(4) == 0 ? "[]" : "") + ":" + variable);
        }
        options.put("hasura.session-variables", String.join(",", entries));
        // With organizations on, x-hasura-org-id and x-hasura-org-ids are the organizations' own: no option may name them.
        boolean organizations = random.nextBoolean();
        options.put("hasura.organizations", String.valueOf(organizations));
        refused |= organizations && entries.stream().map(e -> e.substring(e.indexOf(':') + 1).toLowerCase(Locale.ROOT))
                .map(v -> v.startsWith("x-hasura-") ? v.substring("x-hasura-".length()) : v)
                .anyMatch(v -> v.equals("org-id") || v.equals("org-ids"));
        if (random.nextBoolean()) {
            boolean reserved = random.nextInt(10) == 0;
            String groupsName = reserved ? pick(RESERVED_NAMES) : "groups";
            refused |= reserved;
            options.put("hasura.groups.variable", groupsName);
        }
        options.put("hasura.claims.format", pick(List.of("json", "stringified_json")));
        if (random.nextInt(4) == 0) {
            options.put("claim.name", "https://example.test/claims");
        }
        options.put("id.token.claim", String.valueOf(random.nextBoolean()));
        return new MapperConfig(options, refused);
    }

    /** A role a Hasura client might ask for: any role word in any case, padded, blank, or one of {@code allowed}. */
    String randomRequestedRole(List<String> allowed) {
        return switch (random.nextInt(7)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> " " + pick(allowed) + " ";
            case 3 -> pick(allowed);
            case 4 -> pick(List.of("admin", "Admin", "ADMIN", " admin"));
            case 5 -> pick(ROLE_WORDS).toUpperCase(Locale.ROOT);
            default -> pick(ROLE_WORDS);
        };
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Up to {@code max} distinct values, in random order. */
    private List<String> some(List<String> values, int max) {
        List<String> result = new ArrayList<>();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            String value = pick(values);
            if (!result.contains(value)) {
                result.add(value);
            }
        }
        return result;
    }
}
