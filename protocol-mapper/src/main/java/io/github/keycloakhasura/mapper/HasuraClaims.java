package io.github.keycloakhasura.mapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Computes Hasura's claim object from a user's roles and attributes. Pure: it knows nothing of Keycloak sessions,
 * the Keycloak-facing mapper only gathers the inputs.
 *
 * <p>The roles come from {@link HasuraRoles} (allowed and default role); every value but the allowed roles is a string.
 *
 * <p>Hasura's reserved {@code admin} role (full access, permissions bypassed) is never issued unless the allow-list
 * names it: not from a role, not after prefix stripping, not as the fallback. A stored configuration whose fallback is
 * an {@code admin} that is not allowed (the admin console refuses to save one) gives users without another role no
 * Hasura role at all: {@link #compute} returns no claims and {@link HasuraRoles#defaultRole} {@code null}, so Hasura refuses the
 * token instead of receiving a role nobody allowed.
 */
public final class HasuraClaims {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        List<String> allowed = HasuraRoles.allowedRoles(config, subject.realmRoles(), subject.clientRoles());
        if (allowed.isEmpty()) {
            return claims;
        }
        if (config.organizations()) {
            allowed = OrganizationTenancy.withRoles(config, allowed, subject.tenancy().activeGroups());
        }
        claims.put(HasuraMapperConfig.ALLOWED_ROLES, allowed);
        claims.put(HasuraMapperConfig.DEFAULT_ROLE, HasuraRoles.defaultRole(config, allowed, subject.attributes()));
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

    static List<String> nonNull(List<String> values) {
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
