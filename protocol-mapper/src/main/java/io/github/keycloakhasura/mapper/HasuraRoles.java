package io.github.keycloakhasura.mapper;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The role rules of Hasura's claims ({@code x-hasura-allowed-roles}, {@code x-hasura-default-role}); pure, used by
 * {@link HasuraClaims#compute}. Allowed roles are the effective roles after built-ins are dropped, the prefix filter
 * and the allow-list, ordered by the priority list and then by name, never empty (the fallback role); the default
 * role is the user's override attribute when it names an allowed role, else the first priority role the user has,
 * else the fallback when allowed, else the first allowed role.
 *
 * <p>Hasura's reserved {@code admin} role is never issued unless the allow-list names it: not from a role, not after
 * prefix stripping, not as the fallback.
 */
public final class HasuraRoles {

    private static final Set<String> BUILT_IN_ROLES = Set.of("offline_access", "uma_authorization");
    private static final String DEFAULT_ROLES_PREFIX = "default-roles-";

    private HasuraRoles() {
    }

    /**
     * {@code x-hasura-allowed-roles}: never {@code admin} unless the allow-list names it; never empty, except when the
     * only role left would be a fallback {@code admin} that is not allowed.
     */
    public static List<String> allowedRoles(HasuraMapperConfig config, Collection<String> realmRoles,
                                            Collection<String> clientRoles) {
        Set<String> candidates = new TreeSet<>();
        if (config.rolesSource().includesRealm()) {
            realmRoles.forEach(role -> addCandidate(config, candidates, role, true));
        }
        if (config.rolesSource().includesClient()) {
            clientRoles.forEach(role -> addCandidate(config, candidates, role, false));
        }
        if (candidates.isEmpty()) {
            return mayIssue(config, config.roles().fallbackRole()) ? List.of(config.roles().fallbackRole()) : List.of();
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String role : config.roles().priority()) {
            if (candidates.contains(role)) {
                ordered.add(role);
            }
        }
        ordered.addAll(candidates);
        return List.copyOf(ordered);
    }

    private static void addCandidate(HasuraMapperConfig config, Set<String> candidates, String role, boolean realmRole) {
        if (role == null || role.isEmpty()) {
            return;
        }
        if (realmRole && (BUILT_IN_ROLES.contains(role) || role.startsWith(DEFAULT_ROLES_PREFIX))) {
            return;
        }
        String name = role;
        if (!config.roles().prefix().isEmpty()) {
            if (!role.startsWith(config.roles().prefix())) {
                return;
            }
            if (config.roles().stripPrefix()) {
                name = role.substring(config.roles().prefix().length());
                if (name.isEmpty()) {
                    return;
                }
            }
        }
        if (!config.roles().allowList().isEmpty() && !config.roles().allowList().contains(name)) {
            return;
        }
        if (!mayIssue(config, name)) {
            return;
        }
        candidates.add(name);
    }

    /** Whether {@code role} may appear in a token: anything but Hasura's {@code admin}, which only when allow-listed. */
    public static boolean mayIssue(HasuraMapperConfig config, String role) {
        return !HasuraClaims.HASURA_ADMIN_ROLE.equals(role) || config.roles().allowList().contains(HasuraClaims.HASURA_ADMIN_ROLE);
    }

    /** {@code x-hasura-default-role}: always one of {@code allowed}; {@code null} when {@code allowed} is empty. */
    public static String defaultRole(HasuraMapperConfig config, List<String> allowed, Map<String, List<String>> attributes) {
        if (allowed.isEmpty()) {
            return null;
        }
        List<String> override = HasuraClaims.nonNull(attributes.get(config.roles().defaultRoleAttribute()));
        for (String value : override) {
            if (value != null && allowed.contains(value.trim())) {
                return value.trim();
            }
        }
        for (String role : config.roles().priority()) {
            if (allowed.contains(role)) {
                return role;
            }
        }
        if (allowed.contains(config.roles().fallbackRole())) {
            return config.roles().fallbackRole();
        }
        return allowed.get(0);
    }
}
