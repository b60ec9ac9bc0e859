package io.github.keycloakhasura.graphql.pats;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Keycloak's admin API grants a bearer token what its user holds of {@code realm-management}'s roles within the
 * client's role scope ({@code AdminAuth}: {@code user.hasRole(role) && client.hasScope(role)}), whatever the token's
 * own claims say. A token made from a personal access token would therefore carry its owner's admin rights there,
 * beyond the token's roles. So a personal access token is neither created nor used for an owner who holds such a role
 * within the client's scope (the export scope-maps {@code view-users} onto {@code hasura-app} for the directory).
 */
final class AdminReach {

    static final String REFUSED = "Personal access tokens are not available to an account whose tokens for this client "
            + "carry Keycloak admin roles (realm-management %s): a token made from one would carry them to Keycloak's "
            + "admin API. Use an account without them";

    private AdminReach() {
    }

    /** The realm-management roles {@code user} holds that {@code client}'s tokens reach (comma-separated), if any. */
    static Optional<String> role(RealmModel realm, UserModel user, ClientModel client) {
        ClientModel management = realm.getClientByClientId(Constants.REALM_MANAGEMENT_CLIENT_ID);
        if (management == null) {
            return Optional.empty();
        }
        String roles = management.getRolesStream().filter(r -> user.hasRole(r) && client.hasScope(r)).map(RoleModel::getName)
                .sorted().collect(Collectors.joining(", "));
        return roles.isEmpty() ? Optional.empty() : Optional.of(roles);
    }

    /** FORBIDDEN when {@link #role} finds one. */
    static void refuse(RealmModel realm, UserModel user, ClientModel client) {
        Optional<String> role = role(realm, user, client);
        if (role.isPresent()) {
            throw GraphqlException.forbidden(String.format(REFUSED, role.get()));
        }
    }
}
