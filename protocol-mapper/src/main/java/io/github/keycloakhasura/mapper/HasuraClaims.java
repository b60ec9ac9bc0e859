package io.github.keycloakhasura.mapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes Hasura's claim object from a user's roles and attributes. Pure: it knows nothing of Keycloak sessions,
 * the Keycloak-facing mapper only gathers the inputs.
 *
 * <p>Rules: allowed roles are the effective roles after built-ins are dropped, the prefix filter and the allow-list,
 * ordered by the priority list and then by name, never empty (the fallback role); the default role is the user's
 * override attribute when it names an allowed role, else the first priority role the user has, else the fallback
 * when allowed, else the first allowed role; every value but the allowed roles is a string.
 *
 * <p>Hasura's reserved {@code admin} role (full access, permissions bypassed) is never issued unless the allow-list
 * names it: not from a role, not after prefix stripping, not as the fallback. A stored configuration whose fallback is
 * an {@code admin} that is not allowed (the admin console refuses to save one) gives users without another role no
 * Hasura role at all: {@link #compute} returns no claims and {@link #defaultRole} {@code null}, so Hasura refuses the
 * token instead of receiving a role nobody allowed.
 */
public final class HasuraClaims {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> BUILT_IN_ROLES = Set.of("offline_access", "uma_authorization");
    private static final String DEFAULT_ROLES_PREFIX = "default-roles-";

    /** Hasura's built-in role that bypasses every permission. */
    public static final String HASURA_ADMIN_ROLE = "admin";

    /**
     * What the claims are computed from.
     *
     * @param id          Keycloak's user id (the token's {@code sub})
     * @param username    the username
     * @param attributes  user attributes (may be empty, never null)
     * @param realmRoles  effective realm role names (composites expanded, scope-filtered)
     * @param clientRoles effective client role names of the configured client
     * @param groupPaths  full paths of the user's groups ({@code /a/b})
     */
    public record Subject(String id, String username, Map<String, List<String>> attributes,
                          Collection<String> realmRoles, Collection<String> clientRoles, Collection<String> groupPaths,
                          Tenancy tenancy) {
        public Subject {
            attributes = attributes == null ? Map.of() : attributes;
            realmRoles = realmRoles == null ? List.of() : realmRoles;
            clientRoles = clientRoles == null ? List.of() : clientRoles;
            groupPaths = groupPaths == null ? List.of() : groupPaths;
            tenancy = tenancy == null ? Tenancy.NONE : tenancy;
        }

        /** A subject without organizations. */
        public Subject(String id, String username, Map<String, List<String>> attributes, Collection<String> realmRoles,
                       Collection<String> clientRoles, Collection<String> groupPaths) {
            this(id, username, attributes, realmRoles, clientRoles, groupPaths, Tenancy.NONE);
        }
    }

    /**
     * The user's organizations, as {@link OrganizationTenancy} decided them.
     *
     * @param memberIds    ids of every organization the user is a member of now
     * @param activeId     the active organization's id, or null
     * @param activeGroups names of the user's groups in the active organization (none when there is none)
     */
    public record Tenancy(Collection<String> memberIds, String activeId, Collection<String> activeGroups) {
        public static final Tenancy NONE = new Tenancy(List.of(), null, List.of());

        public Tenancy {
            memberIds = memberIds == null ? List.of() : memberIds;
            activeGroups = activeId == null || activeGroups == null ? List.of() : activeGroups;
        }
    }

    private HasuraClaims() {
    }

    /**
     * The claim object, in a stable order: allowed roles, default role, user id, then session variables. Empty when
     * the user has no role that may be issued (see the class comment): then no Hasura claims are written at all.
     */
    public static Map<String, Object> compute(HasuraMapperConfig config, Subject subject) {
        Map<String, Object> claims = new LinkedHashMap<>();
        List<String> allowed = allowedRoles(config, subject.realmRoles(), subject.clientRoles());
        if (allowed.isEmpty()) {
            return claims;
        }
        if (config.organizations()) {
            allowed = OrganizationTenancy.withRoles(config, allowed, subject.tenancy().activeGroups());
        }
        claims.put(HasuraMapperConfig.ALLOWED_ROLES, allowed);
        claims.put(HasuraMapperConfig.DEFAULT_ROLE, defaultRole(config, allowed, subject.attributes()));
        String userId = userId(config, subject);
        if (userId != null) {
            claims.put(HasuraMapperConfig.USER_ID, userId);
        }
        for (HasuraMapperConfig.SessionVariable variable : config.sessionVariables()) {
            List<String> values = nonNull(subject.attributes().get(variable.attribute()));
            if (values.isEmpty()) {
                continue;
            }
            claims.put(variable.variable(), values.size() == 1 && !variable.forceArray()
                    ? values.get(0)
                    : PostgresArrayLiteral.of(values));
        }
        if (config.groupsVariable() != null) {
            claims.put(config.groupsVariable(), PostgresArrayLiteral.of(new TreeSet<>(subject.groupPaths())));
        }
        if (config.organizations()) {
            if (subject.tenancy().activeId() != null) {
                claims.put(HasuraMapperConfig.ORG_ID, subject.tenancy().activeId());
            }
            claims.put(HasuraMapperConfig.ORG_IDS, PostgresArrayLiteral.of(new TreeSet<>(subject.tenancy().memberIds())));
        }
        return claims;
    }


    /**
     * The claims with the claims query's values added ({@link ClaimsQueryOptions}): only the names its map declares
     * (validated: never reserved, never another option's), after the rest; no claims stay no claims.
     *
     * @param values session variable name to value, as read from the query's result
     */
    public static Map<String, Object> withAppData(HasuraMapperConfig config, Map<String, Object> claims,
                                                  Map<String, String> values) {
        if (claims.isEmpty() || values.isEmpty()) {
            return claims;
        }
        Map<String, Object> result = new LinkedHashMap<>(claims);
        for (ClaimsQueryOptions.Mapping mapping : config.claimsQuery().mappings()) {
            String value = values.get(mapping.variable());
            if (value != null && !result.containsKey(mapping.variable())) {
                result.put(mapping.variable(), value);
            }
        }
        return result;
    }

    /** The claim value as written into a token: the object itself, or its JSON text for {@code stringified_json}. */
    public static Object render(HasuraMapperConfig config, Map<String, Object> claims) {
        if (config.format() == HasuraMapperConfig.Format.JSON) {
            return claims;
        }
        try {
            return JSON.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Hasura claims could not be written as JSON", e);
        }
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
            return mayIssue(config, config.fallbackRole()) ? List.of(config.fallbackRole()) : List.of();
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String role : config.rolePriority()) {
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
        if (!config.rolePrefix().isEmpty()) {
            if (!role.startsWith(config.rolePrefix())) {
                return;
            }
            if (config.stripPrefix()) {
                name = role.substring(config.rolePrefix().length());
                if (name.isEmpty()) {
                    return;
                }
            }
        }
        if (!config.allowList().isEmpty() && !config.allowList().contains(name)) {
            return;
        }
        if (!mayIssue(config, name)) {
            return;
        }
        candidates.add(name);
    }

    /** Whether {@code role} may appear in a token: anything but Hasura's {@code admin}, which only when allow-listed. */
    public static boolean mayIssue(HasuraMapperConfig config, String role) {
        return !HASURA_ADMIN_ROLE.equals(role) || config.allowList().contains(HASURA_ADMIN_ROLE);
    }

    /** {@code x-hasura-default-role}: always one of {@code allowed}; {@code null} when {@code allowed} is empty. */
    public static String defaultRole(HasuraMapperConfig config, List<String> allowed, Map<String, List<String>> attributes) {
        if (allowed.isEmpty()) {
            return null;
        }
        List<String> override = nonNull(attributes.get(config.defaultRoleAttribute()));
        for (String value : override) {
            if (value != null && allowed.contains(value.trim())) {
                return value.trim();
            }
        }
        for (String role : config.rolePriority()) {
            if (allowed.contains(role)) {
                return role;
            }
        }
        if (allowed.contains(config.fallbackRole())) {
            return config.fallbackRole();
        }
        return allowed.get(0);
    }

    private static String userId(HasuraMapperConfig config, Subject subject) {
        switch (config.userIdSource()) {
            case USERNAME:
                return subject.username();
            case ATTRIBUTE:
                List<String> values = nonNull(subject.attributes().get(config.userIdAttribute()));
                return values.isEmpty() ? null : values.get(0);
            case ID:
            default:
                return subject.id();
        }
    }

    private static List<String> nonNull(List<String> values) {
        if (values == null) {
            return List.of();
        }
        List<String> result = new ArrayList<>(values.size());
        for (String v : values) {
            if (v != null) {
                result.add(v);
            }
        }
        return result;
    }
}
