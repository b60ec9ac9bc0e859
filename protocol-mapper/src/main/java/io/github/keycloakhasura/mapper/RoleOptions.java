package io.github.keycloakhasura.mapper;

import io.github.keycloakhasura.mapper.HasuraMapperConfig.RolesSource;
import io.github.keycloakhasura.options.OptionReader;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The mapper's role options ("Roles source", "Client for client roles", "Allowed roles", "Role prefix filter",
 * "Strip role prefix", "Fallback role", "Default role priority", "Default role attribute"), parsed and validated; part
 * of {@link HasuraMapperConfig}, applied by {@link HasuraRoles}.
 *
 * @param source               where Hasura roles come from
 * @param clientId             the client whose client roles are used (empty for realm roles only)
 * @param allowList            the only roles that may be issued (empty: any but {@code admin})
 * @param prefix               only roles starting with it are issued (empty: any)
 * @param stripPrefix          whether the prefix is removed from the issued name
 * @param fallbackRole         the role of a user who has none
 * @param priority             the order in which the default role is chosen, without duplicates
 * @param defaultRoleAttribute the user attribute that may pick the default role
 */
public record RoleOptions(RolesSource source, String clientId, Set<String> allowList, String prefix, boolean stripPrefix,
                          String fallbackRole, List<String> priority, String defaultRoleAttribute) {

    public RoleOptions {
        allowList = Collections.unmodifiableSet(new LinkedHashSet<>(allowList));
        priority = List.copyOf(new LinkedHashSet<>(priority));
    }

    static RoleOptions parse(OptionReader options) {
        RolesSource source = options.choice(HasuraMapperConfig.ROLES_SOURCE, RolesSource.REALM, RolesSource.values(), s -> s.value);
        String clientId = options.text(HasuraMapperConfig.ROLES_CLIENT, "");
        if (source.includesClient() && clientId.isEmpty()) {
            throw new InvalidMapperConfigException(
                    "Roles source \"" + source.value + "\" needs the client id whose client roles are used.");
        }
        List<String> allowList = MapperOptions.names(options, HasuraMapperConfig.ROLES_ALLOWED);
        String prefix = options.text(HasuraMapperConfig.ROLES_PREFIX, "");
        if (!prefix.isEmpty() && !MapperOptions.NO_WHITESPACE.matcher(prefix).matches()) {
            throw new InvalidMapperConfigException("Role prefix must not contain white space: \"" + prefix + "\".");
        }
        boolean stripPrefix = options.bool(HasuraMapperConfig.ROLES_PREFIX_STRIP, true);
        String fallbackRole = options.text(HasuraMapperConfig.FALLBACK_ROLE, HasuraMapperConfig.DEFAULT_FALLBACK_ROLE);
        if (fallbackRole.contains(",") || !MapperOptions.NO_WHITESPACE.matcher(fallbackRole).matches()) {
            throw new InvalidMapperConfigException(
                    "Fallback role must be one role name without commas or white space, not \"" + fallbackRole + "\".");
        }
        List<String> priority = MapperOptions.names(options, HasuraMapperConfig.ROLE_PRIORITY);
        String attribute = options.text(HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE, HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE_NAME);
        return new RoleOptions(source, clientId, new LinkedHashSet<>(allowList), prefix, stripPrefix, fallbackRole, priority, attribute);
    }

    /**
     * The checks made when an admin saves the mapper: Hasura's reserved {@code admin} role may be neither the
     * fallback role nor in the priority list unless the allow-list names it (see
     * {@link HasuraMapperConfig#checkReservedRoles}).
     */
    void checkReservedRoles() {
        if (allowList.contains(HasuraClaims.HASURA_ADMIN_ROLE)) {
            return;
        }
        String hint = " Hasura's \"admin\" role bypasses every permission: it is only issued when \"Allowed roles\" ("
                + HasuraMapperConfig.ROLES_ALLOWED + ") lists it explicitly.";
        if (HasuraClaims.HASURA_ADMIN_ROLE.equals(fallbackRole)) {
            throw new InvalidMapperConfigException("Fallback role must not be \"admin\"." + hint);
        }
        if (priority.contains(HasuraClaims.HASURA_ADMIN_ROLE)) {
            throw new InvalidMapperConfigException("Default role priority must not contain \"admin\"." + hint);
        }
    }
}
