package io.github.keycloakhasura.mapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A personal access token's role limit: the Hasura session variables of a token (or webhook answer) made from a
 * personal access token allow only the roles the token was created with that the owner still has, never
 * {@code admin}, and are never elevated. Pure: the limit comes from the client-session note {@link #NOTE} (set only
 * by the GraphQL endpoint's personal-access-token grant) or from the stored token itself (the webhook).
 */
public final class RoleLimit {

    /** The client-session note holding a personal access token's roles (comma-separated). */
    public static final String NOTE = "keycloak-hasura.pat-roles";
    /** The client-session note holding the personal access token's id (revocation ends such sessions). */
    public static final String ID_NOTE = "keycloak-hasura.pat-id";

    private RoleLimit() {
    }

    /** The roles of a {@link #NOTE} value; empty for none. */
    public static Set<String> parse(String note) {
        Set<String> roles = new LinkedHashSet<>();
        if (note != null) {
            for (String role : note.split(",")) {
                if (!role.isBlank()) {
                    roles.add(role.trim());
                }
            }
        }
        return roles;
    }

    /**
     * {@code claims} limited to {@code roles}: allowed roles = the claims' ∩ {@code roles} minus {@code admin}, the
     * default role recomputed among them (as {@link HasuraClaims#defaultRole}), no elevation. Empty claims (no role
     * left) when nothing remains.
     */
    public static Map<String, Object> apply(HasuraMapperConfig config, Map<String, Object> claims, Collection<String> roles,
                                            Map<String, List<String>> attributes) {
        Object listed = claims.get(HasuraReservedNames.ALLOWED_ROLES);
        List<String> allowed = new ArrayList<>();
        if (listed instanceof Collection<?> current) {
            for (Object role : current) {
                if (role instanceof String name && roles.contains(name) && !HasuraClaims.HASURA_ADMIN_ROLE.equals(name)) {
                    allowed.add(name);
                }
            }
        }
        Map<String, Object> limited = new LinkedHashMap<>();
        if (allowed.isEmpty()) {
            return limited;
        }
        claims.forEach((name, value) -> {
            if (!name.equals(HasuraReservedNames.AUTH_ELEVATED)) {
                limited.put(name, value);
            }
        });
        limited.put(HasuraReservedNames.ALLOWED_ROLES, List.copyOf(allowed));
        limited.put(HasuraReservedNames.DEFAULT_ROLE, HasuraRoles.defaultRole(config, allowed, attributes));
        return limited;
    }
}
