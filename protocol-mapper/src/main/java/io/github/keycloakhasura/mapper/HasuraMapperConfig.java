package io.github.keycloakhasura.mapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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

    public static final String DEFAULT_NAMESPACE = "https://hasura.io/jwt/claims";
    public static final String DEFAULT_FALLBACK_ROLE = "user";
    public static final String DEFAULT_ROLE_ATTRIBUTE_NAME = "hasura_default_role";

    public static final String HASURA_PREFIX = "x-hasura-";
    public static final String ALLOWED_ROLES = "x-hasura-allowed-roles";
    public static final String DEFAULT_ROLE = "x-hasura-default-role";
    public static final String USER_ID = "x-hasura-user-id";

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern NO_WHITESPACE = Pattern.compile("\\S+");

    /** How the claim object is written. */
    public enum Format {
        JSON("json"), STRINGIFIED_JSON("stringified_json");

        public final String value;

        Format(String value) {
            this.value = value;
        }

        static Format parse(String raw) {
            for (Format f : values()) {
                if (f.value.equals(raw)) {
                    return f;
                }
            }
            throw new InvalidMapperConfigException("Claims format must be \"json\" or \"stringified_json\", not \"" + raw + "\".");
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

        static RolesSource parse(String raw) {
            for (RolesSource s : values()) {
                if (s.value.equals(raw)) {
                    return s;
                }
            }
            throw new InvalidMapperConfigException(
                    "Roles source must be \"realm\", \"client\" or \"realm_and_client\", not \"" + raw + "\".");
        }
    }

    /** What becomes {@code x-hasura-user-id}. */
    public enum UserIdSource {
        ID("id"), USERNAME("username"), ATTRIBUTE("attribute");

        public final String value;

        UserIdSource(String value) {
            this.value = value;
        }

        static UserIdSource parse(String raw) {
            for (UserIdSource s : values()) {
                if (s.value.equals(raw)) {
                    return s;
                }
            }
            throw new InvalidMapperConfigException(
                    "User id source must be \"id\", \"username\" or \"attribute\", not \"" + raw + "\".");
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
    private final RolesSource rolesSource;
    private final String rolesClientId;
    private final Set<String> allowList;
    private final String rolePrefix;
    private final boolean stripPrefix;
    private final String fallbackRole;
    private final List<String> rolePriority;
    private final String defaultRoleAttribute;
    private final UserIdSource userIdSource;
    private final String userIdAttribute;
    private final List<SessionVariable> sessionVariables;
    private final String groupsVariable;

    private HasuraMapperConfig(Map<String, String> raw) {
        this.namespace = text(raw, CLAIM_NAME, DEFAULT_NAMESPACE);
        if (!NO_WHITESPACE.matcher(namespace).matches()) {
            throw new InvalidMapperConfigException("Claims namespace must not contain white space: \"" + namespace + "\".");
        }
        this.format = Format.parse(text(raw, CLAIMS_FORMAT, Format.JSON.value));
        this.rolesSource = RolesSource.parse(text(raw, ROLES_SOURCE, RolesSource.REALM.value));
        this.rolesClientId = text(raw, ROLES_CLIENT, "");
        if (rolesSource.includesClient() && rolesClientId.isEmpty()) {
            throw new InvalidMapperConfigException(
                    "Roles source \"" + rolesSource.value + "\" needs the client id whose client roles are used.");
        }
        this.allowList = Collections.unmodifiableSet(new LinkedHashSet<>(list(raw, ROLES_ALLOWED, "Allowed roles")));
        this.rolePrefix = text(raw, ROLES_PREFIX, "");
        if (!rolePrefix.isEmpty() && !NO_WHITESPACE.matcher(rolePrefix).matches()) {
            throw new InvalidMapperConfigException("Role prefix must not contain white space: \"" + rolePrefix + "\".");
        }
        this.stripPrefix = bool(raw, ROLES_PREFIX_STRIP, true);
        this.fallbackRole = text(raw, FALLBACK_ROLE, DEFAULT_FALLBACK_ROLE);
        if (fallbackRole.isEmpty() || fallbackRole.contains(",") || !NO_WHITESPACE.matcher(fallbackRole).matches()) {
            throw new InvalidMapperConfigException(
                    "Fallback role must be one role name without commas or white space, not \"" + fallbackRole + "\".");
        }
        this.rolePriority = List.copyOf(new LinkedHashSet<>(list(raw, ROLE_PRIORITY, "Default role priority")));
        this.defaultRoleAttribute = text(raw, DEFAULT_ROLE_ATTRIBUTE, DEFAULT_ROLE_ATTRIBUTE_NAME);
        this.userIdSource = UserIdSource.parse(text(raw, USER_ID_SOURCE, UserIdSource.ID.value));
        this.userIdAttribute = text(raw, USER_ID_ATTRIBUTE, "");
        if (userIdSource == UserIdSource.ATTRIBUTE && userIdAttribute.isEmpty()) {
            throw new InvalidMapperConfigException("User id source \"attribute\" needs the name of the user attribute.");
        }
        Set<String> used = new LinkedHashSet<>(List.of(ALLOWED_ROLES, DEFAULT_ROLE, USER_ID));
        this.sessionVariables = parseSessionVariables(text(raw, SESSION_VARIABLES, ""), used);
        String groups = text(raw, GROUPS_VARIABLE, "");
        this.groupsVariable = groups.isEmpty() ? null : variableName(groups, used);
    }

    /**
     * Parses and validates a mapper configuration.
     *
     * @throws InvalidMapperConfigException with a message fit for an admin when a value is nonsense
     */
    public static HasuraMapperConfig parse(Map<String, String> raw) {
        return new HasuraMapperConfig(raw == null ? Map.of() : raw);
    }

    /**
     * The checks made when an admin saves the mapper (admin console, admin REST), on top of {@link #parse}: Hasura's
     * reserved {@code admin} role may be neither the fallback role nor in the priority list unless the allow-list
     * names it. Not part of {@link #parse}, so a configuration stored before (or imported) still issues tokens; the
     * claims never carry {@code admin} then either ({@link HasuraClaims#allowedRoles}).
     *
     * @throws InvalidMapperConfigException naming the option and how to allow {@code admin} on purpose
     */
    public void checkReservedRoles() {
        if (allowList.contains(HasuraClaims.HASURA_ADMIN_ROLE)) {
            return;
        }
        String hint = " Hasura's \"admin\" role bypasses every permission: it is only issued when \"Allowed roles\" ("
                + ROLES_ALLOWED + ") lists it explicitly.";
        if (HasuraClaims.HASURA_ADMIN_ROLE.equals(fallbackRole)) {
            throw new InvalidMapperConfigException("Fallback role must not be \"admin\"." + hint);
        }
        if (rolePriority.contains(HasuraClaims.HASURA_ADMIN_ROLE)) {
            throw new InvalidMapperConfigException("Default role priority must not contain \"admin\"." + hint);
        }
    }

    private static List<SessionVariable> parseSessionVariables(String spec, Set<String> used) {
        List<SessionVariable> result = new ArrayList<>();
        if (spec.isEmpty()) {
            return List.of();
        }
        for (String entry : spec.split("[,\\n]")) {
            String item = entry.trim();
            if (item.isEmpty()) {
                continue;
            }
            String attribute = item;
            String name = null;
            int colon = item.indexOf(':');
            if (colon >= 0) {
                attribute = item.substring(0, colon).trim();
                name = item.substring(colon + 1).trim();
                if (name.isEmpty()) {
                    throw new InvalidMapperConfigException("Session variable entry \"" + item + "\" has an empty name after \":\".");
                }
            }
            boolean forceArray = attribute.endsWith("[]");
            if (forceArray) {
                attribute = attribute.substring(0, attribute.length() - 2).trim();
            }
            if (attribute.isEmpty() || !NO_WHITESPACE.matcher(attribute).matches()) {
                throw new InvalidMapperConfigException(
                        "Session variable entry \"" + item + "\" must start with a user attribute name (no white space).");
            }
            String variable = variableName(name == null ? attribute : name, used);
            result.add(new SessionVariable(attribute, variable, forceArray));
        }
        return List.copyOf(result);
    }

    private static String variableName(String name, Set<String> used) {
        String bare = name.toLowerCase(Locale.ROOT).startsWith(HASURA_PREFIX) ? name.substring(HASURA_PREFIX.length()) : name;
        if (!VARIABLE_NAME.matcher(bare).matches()) {
            throw new InvalidMapperConfigException("Session variable name \"" + name
                    + "\" may contain only letters, digits, \"-\" and \"_\" (it becomes x-hasura-<name>).");
        }
        String full = HASURA_PREFIX + bare.toLowerCase(Locale.ROOT);
        if (!used.add(full)) {
            throw new InvalidMapperConfigException("Session variable \"" + full
                    + "\" is defined twice or clashes with a claim the mapper always writes.");
        }
        return full;
    }

    private static String text(Map<String, String> raw, String key, String defaultValue) {
        String value = raw.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return value.trim();
    }

    private static boolean bool(Map<String, String> raw, String key, boolean defaultValue) {
        String value = text(raw, key, "");
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidMapperConfigException("\"" + key + "\" must be true or false, not \"" + value + "\".");
    }

    private static List<String> list(Map<String, String> raw, String key, String label) {
        String value = text(raw, key, "");
        List<String> result = new ArrayList<>();
        if (value.isEmpty()) {
            return result;
        }
        for (String part : value.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                throw new InvalidMapperConfigException(label + " has an empty entry: \"" + value + "\".");
            }
            if (!NO_WHITESPACE.matcher(item).matches()) {
                throw new InvalidMapperConfigException(label + " entry \"" + item + "\" must not contain white space.");
            }
            result.add(item);
        }
        return result;
    }

    public String namespace() {
        return namespace;
    }

    public Format format() {
        return format;
    }

    public RolesSource rolesSource() {
        return rolesSource;
    }

    public String rolesClientId() {
        return rolesClientId;
    }

    public Set<String> allowList() {
        return allowList;
    }

    public String rolePrefix() {
        return rolePrefix;
    }

    public boolean stripPrefix() {
        return stripPrefix;
    }

    public String fallbackRole() {
        return fallbackRole;
    }

    public List<String> rolePriority() {
        return rolePriority;
    }

    /** The user attribute that may pick the default role; empty when the override is off. */
    public String defaultRoleAttribute() {
        return defaultRoleAttribute;
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

    /** The full claim name for group paths, or {@code null} when groups are not exported. */
    public String groupsVariable() {
        return groupsVariable;
    }
}
