package io.github.keycloakhasura.mapper;

import io.github.keycloakhasura.options.OptionReader;

import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Hasura claims mapper's configuration, parsed and validated from the flat string map Keycloak stores for a
 * protocol mapper. Pure: knows nothing of Keycloak sessions, so every rule is unit-testable.
 */
public final class HasuraMapperConfig {

    // Config keys (stable: they are stored in realms and exports).
    public static final String CLAIM_NAME = "claim.name";
    public static final String CLAIMS_FORMAT = "hasura.claims.format";
    public static final String ROLES_SOURCE = "hasura.roles.source";
    public static final String ROLES_CLIENT = "hasura.roles.client";
    public static final String ROLES_ALLOWED = "hasura.roles.allowed";
    public static final String ROLES_PREFIX = "hasura.roles.prefix";
    public static final String ROLES_PREFIX_STRIP = "hasura.roles.prefix.strip";
    public static final String FALLBACK_ROLE = "hasura.roles.fallback";
    public static final String ROLE_PRIORITY = "hasura.roles.priority";
    public static final String DEFAULT_ROLE_ATTRIBUTE = "hasura.default-role.attribute";
    public static final String USER_ID_SOURCE = "hasura.user-id.source";
    public static final String USER_ID_ATTRIBUTE = "hasura.user-id.attribute";
    public static final String SESSION_VARIABLES = "hasura.session-variables";
    public static final String GROUPS_VARIABLE = "hasura.groups.variable";
    public static final String ORGANIZATIONS = "hasura.organizations";
    public static final String ORGANIZATION_GROUP_ROLES = "hasura.organizations.group-roles";
    public static final String ORGANIZATION_ADMIN_ROLE = "hasura.organizations.admin-role";
    public static final String ELEVATION_WINDOW = "hasura.elevation-window";

    public static final String DEFAULT_NAMESPACE = "https://hasura.io/jwt/claims";
    public static final String DEFAULT_FALLBACK_ROLE = "user";
    public static final String DEFAULT_ROLE_ATTRIBUTE_NAME = "hasura_default_role";

    public static final String HASURA_PREFIX = HasuraReservedNames.PREFIX;
    public static final String ALLOWED_ROLES = HasuraReservedNames.ALLOWED_ROLES;
    public static final String DEFAULT_ROLE = HasuraReservedNames.DEFAULT_ROLE;
    public static final String USER_ID = HasuraReservedNames.USER_ID;
    public static final String ORG_ID = "x-hasura-org-id";
    public static final String ORG_IDS = "x-hasura-org-ids";
    public static final String DEFAULT_ORGANIZATION_GROUP_ROLES = "admins:org_admin";
    public static final String DEFAULT_ORGANIZATION_ADMIN_ROLE = "org_admin";

    /** How the claim object is written. */
    public enum Format {
        JSON("json"), STRINGIFIED_JSON("stringified_json");

        public final String value;

        Format(String value) {
            this.value = value;
        }
    }

    /** Where Hasura roles come from. */
    public enum RolesSource {
        REALM("realm"), CLIENT("client"), REALM_AND_CLIENT("realm_and_client");

        public final String value;

        RolesSource(String value) {
            this.value = value;
        }

        public boolean includesRealm() {
            return this != CLIENT;
        }

        public boolean includesClient() {
            return this != REALM;
        }
    }

    /** What becomes {@code x-hasura-user-id}. */
    public enum UserIdSource {
        ID("id"), USERNAME("username"), ATTRIBUTE("attribute");

        public final String value;

        UserIdSource(String value) {
            this.value = value;
        }
    }

    /**
     * One user attribute exposed as a session variable.
     *
     * @param attribute   the user attribute name
     * @param variable    the full claim name, always starting with {@code x-hasura-}, lower case
     * @param forceArray  render as a Postgres array literal even when the attribute has a single value
     */
    public record SessionVariable(String attribute, String variable, boolean forceArray) {
    }

    private final String namespace;
    private final Format format;
    private final RoleOptions roles;
    private final UserIdSource userIdSource;
    private final String userIdAttribute;
    private final List<SessionVariable> sessionVariables;
    private final String groupsVariable;
    private final OrganizationOptions organizations;
    private final int elevationWindow;
    private final ClaimsQueryOptions claimsQuery;

    private HasuraMapperConfig(OptionReader options) {
        this.namespace = options.text(CLAIM_NAME, DEFAULT_NAMESPACE);
        if (!MapperOptions.NO_WHITESPACE.matcher(namespace).matches()) {
            throw new InvalidMapperConfigException("Claims namespace must not contain white space: \"" + namespace + "\".");
        }
        this.format = options.choice(CLAIMS_FORMAT, Format.JSON, Format.values(), f -> f.value);
        this.roles = RoleOptions.parse(options);
        this.userIdSource = options.choice(USER_ID_SOURCE, UserIdSource.ID, UserIdSource.values(), s -> s.value);
        this.userIdAttribute = options.text(USER_ID_ATTRIBUTE, "");
        if (userIdSource == UserIdSource.ATTRIBUTE && userIdAttribute.isEmpty()) {
            throw new InvalidMapperConfigException("User id source \"attribute\" needs the name of the user attribute.");
        }
        Set<String> used = new LinkedHashSet<>(List.of(ALLOWED_ROLES, DEFAULT_ROLE, USER_ID));
        this.sessionVariables = SessionVariableParser.parse(options.entries(SESSION_VARIABLES), used);
        String groups = options.text(GROUPS_VARIABLE, "");
        this.groupsVariable = groups.isEmpty() ? null : SessionVariableParser.variableName("Groups session variable", groups, used);
        this.organizations = OrganizationOptions.parse(options, used);
        this.elevationWindow = (int) options.duration(ELEVATION_WINDOW, ChronoUnit.SECONDS, Elevation.DEFAULT_WINDOW_SECONDS, 0, 86_400)
                .toSeconds();
        this.claimsQuery = ClaimsQueryOptions.parse(options, used);
    }

    /**
     * Parses and validates a mapper configuration.
     *
     * @throws InvalidMapperConfigException with a message fit for an admin when a value is nonsense
     */
    public static HasuraMapperConfig parse(Map<String, String> raw) {
        return new HasuraMapperConfig(MapperOptions.reader(raw == null ? Map.of() : raw));
    }

    /**
     * The checks made when an admin saves the mapper (admin console, admin REST), on top of {@link #parse}: Hasura's
     * reserved {@code admin} role may be neither the fallback role nor in the priority list unless the allow-list
     * names it. Not part of {@link #parse}, so a configuration stored before (or imported) still issues tokens; the
     * claims never carry {@code admin} then either ({@link HasuraRoles#allowedRoles}).
     *
     * @throws InvalidMapperConfigException naming the option and how to allow {@code admin} on purpose
     */
    public void checkReservedRoles() {
        roles.checkReservedRoles();
    }

    public String namespace() {
        return namespace;
    }

    public Format format() {
        return format;
    }

    public RolesSource rolesSource() {
        return roles.source();
    }

    public String rolesClientId() {
        return roles.clientId();
    }

    /** The role options: allow-list, prefix, fallback, priority, default-role attribute ({@link HasuraRoles}' input). */
    public RoleOptions roles() {
        return roles;
    }

    public UserIdSource userIdSource() {
        return userIdSource;
    }

    public String userIdAttribute() {
        return userIdAttribute;
    }

    public List<SessionVariable> sessionVariables() {
        return sessionVariables;
    }

    /** Whether x-hasura-org-id, x-hasura-org-ids and organization roles are written (Keycloak organizations). */
    public boolean organizations() {
        return organizations.enabled();
    }

    /** Organization groups to Hasura roles, in the option's order (never to {@code admin}). */
    public List<OrganizationOptions.GroupRole> organizationGroupRoles() {
        return organizations.groupRoles();
    }

    /**
     * The organization role (from "Organization group roles") whose holders administer that organization through
     * the GraphQL API (list, invite and remove its members).
     */
    public String organizationAdminRole() {
        return organizations.adminRole();
    }

    /**
     * The user attributes this configuration reads into the claims: the default-role attribute, the user-id attribute
     * (when the user id comes from one) and every session variable's attribute. A user must never edit these.
     */
    public Set<String> userAttributes() {
        Set<String> names = new LinkedHashSet<>();
        if (!roles.defaultRoleAttribute().isEmpty()) {
            names.add(roles.defaultRoleAttribute());
        }
        if (userIdSource == UserIdSource.ATTRIBUTE) {
            names.add(userIdAttribute);
        }
        sessionVariables.forEach(v -> names.add(v.attribute()));
        return Collections.unmodifiableSet(names);
    }

    /**
     * The user attributes a stored configuration names, also when it does not parse (an imported, broken mapper
     * still reads nothing, but may once an admin fixes it): {@link #userAttributes()} when it parses, else every name
     * the raw options could mean, read leniently (an over-approximation, for refusing user edits).
     */
    public static Set<String> userAttributesNamedIn(Map<String, String> raw) {
        try {
            return parse(raw).userAttributes();
        } catch (InvalidMapperConfigException e) {
            return BrokenConfigAttributes.namedIn(MapperOptions.reader(raw == null ? Map.of() : raw));
        }
    }

    /** Seconds after a step-up proof during which issued tokens carry {@code x-hasura-auth-elevated}; 0: never. */
    public int elevationWindow() {
        return elevationWindow;
    }

    /** The claims query: session variables from the app's data ({@link ClaimsQueryOptions#OFF}-like when off). */
    public ClaimsQueryOptions claimsQuery() {
        return claimsQuery;
    }

    /** The full claim name for group paths, or {@code null} when groups are not exported. */
    public String groupsVariable() {
        return groupsVariable;
    }
}
