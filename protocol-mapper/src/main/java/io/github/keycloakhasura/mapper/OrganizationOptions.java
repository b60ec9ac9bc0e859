package io.github.keycloakhasura.mapper;

import io.github.keycloakhasura.options.OptionReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The mapper's organization options ("Organizations", "Organization group roles", "Organization admin role"),
 * parsed and validated; part of {@link HasuraMapperConfig}. Hasura's {@code admin} is refused as a group role and as
 * the admin role, and no other option may write {@code x-hasura-org-id} or {@code x-hasura-org-ids} while they are on.
 *
 * @param enabled    whether organizations become session variables and roles
 * @param groupRoles group-to-role entries, in the option's order
 * @param adminRole  the organization role whose holders administer the organization through the API
 */
public record OrganizationOptions(boolean enabled, List<GroupRole> groupRoles, String adminRole) {

    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.-]+");

    /** Members of the active organization's group {@code group} get the Hasura role {@code role}. */
    public record GroupRole(String group, String role) {
    }

    /**
     * @param used the session variable names the other options took; the organization variables are added to it
     */
    static OrganizationOptions parse(OptionReader options, Set<String> used) {
        boolean enabled = options.bool(HasuraMapperConfig.ORGANIZATIONS, false);
        if (enabled && (!used.add(HasuraMapperConfig.ORG_ID) || !used.add(HasuraMapperConfig.ORG_IDS))) {
            throw new InvalidMapperConfigException("Session variables " + HasuraMapperConfig.ORG_ID + " and "
                    + HasuraMapperConfig.ORG_IDS + " are written from Keycloak organizations: no other option may name them.");
        }
        List<GroupRole> groupRoles = groupRoles(options.text(HasuraMapperConfig.ORGANIZATION_GROUP_ROLES) == null
                ? List.of(HasuraMapperConfig.DEFAULT_ORGANIZATION_GROUP_ROLES) : options.entries(HasuraMapperConfig.ORGANIZATION_GROUP_ROLES));
        String adminRole = options.text(HasuraMapperConfig.ORGANIZATION_ADMIN_ROLE,
                HasuraMapperConfig.DEFAULT_ORGANIZATION_ADMIN_ROLE);
        if (!ROLE.matcher(adminRole).matches() || HasuraClaims.HASURA_ADMIN_ROLE.equals(adminRole)) {
            throw new InvalidMapperConfigException("Organization admin role must be one role name (letters, digits, \".\", "
                    + "\"-\", \"_\"), and not \"admin\": \"" + adminRole + "\".");
        }
        return new OrganizationOptions(enabled, groupRoles, adminRole);
    }

    private static List<GroupRole> groupRoles(List<String> entries) {
        List<GroupRole> result = new ArrayList<>();
        for (String item : entries) {
            int colon = item.lastIndexOf(':');
            String group = colon < 0 ? "" : item.substring(0, colon).trim();
            String role = colon < 0 ? "" : item.substring(colon + 1).trim();
            if (group.isEmpty() || !ROLE.matcher(role).matches()) {
                throw new InvalidMapperConfigException("Organization group roles entry \"" + item
                        + "\" must be group:role, the role made of letters, digits, \".\", \"-\" and \"_\".");
            }
            if (HasuraClaims.HASURA_ADMIN_ROLE.equals(role)) {
                throw new InvalidMapperConfigException("Organization group roles must not give \"admin\": Hasura's admin "
                        + "role bypasses every permission and never comes from an organization group.");
            }
            result.add(new GroupRole(group, role));
        }
        return List.copyOf(result);
    }
}
