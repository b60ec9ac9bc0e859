package io.github.keycloakhasura.graphql.keycloak;

import org.keycloak.models.AdminRoles;
import org.keycloak.models.Constants;
import org.keycloak.representations.AccessToken;

import java.util.Set;

/**
 * Roles as an access token carries them ({@code realm_access}, {@code resource_access}): Keycloak has already applied
 * the client's role scope (full scope or scope mappings) and expanded composites and groups, so a role the client may
 * not see is not here even when the user has it.
 */
final class TokenRoles {

    private TokenRoles() {
    }

    static boolean hasRealmRole(AccessToken token, String role) {
        AccessToken.Access access = token == null ? null : token.getRealmAccess();
        return access != null && access.getRoles() != null && access.getRoles().contains(role);
    }

    /** realm-management {@code view-users} or {@code manage-users} in the token ({@code realm-admin} expands to both). */
    static boolean mayViewUsers(AccessToken token) {
        AccessToken.Access access = token == null ? null : token.getResourceAccess(Constants.REALM_MANAGEMENT_CLIENT_ID);
        Set<String> roles = access == null ? null : access.getRoles();
        return roles != null && (roles.contains(AdminRoles.VIEW_USERS) || roles.contains(AdminRoles.MANAGE_USERS));
    }
}
