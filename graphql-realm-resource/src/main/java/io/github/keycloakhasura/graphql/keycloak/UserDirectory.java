package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.UserView;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.RoleUtils;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * users, usersPage, user and the User fields resolved per user (roles, profile): who may see users, one page of them
 * ({@link UserPages}), and each listed user looked up and its roles expanded once per request (one instance per
 * request).
 */
final class UserDirectory {

    private static final Logger LOG = Logger.getLogger(UserDirectory.class);

    private final KeycloakSession session;
    private final GraphqlConfig config;
    private final Map<String, UserModel> usersById = new HashMap<>();
    private final Map<String, Set<RoleModel>> deepRoles = new HashMap<>();

    UserDirectory(KeycloakSession session, GraphqlConfig config) {
        this.session = session;
        this.config = config;
    }

    /**
     * Tokens that carry the manager role (composites and groups count) or realm-management view-users: the role must
     * be in the access token's role claims, so the client's role scope applies, not only on the user.
     */
    void requireUserViewer(BearerCaller caller) {
        RealmModel realm = session.getContext().getRealm();
        if (caller.personalAccessToken()) {
            // A personal access token's roles, not its owner's: the manager role only when the token was made with it.
            if (caller.roleLimit().contains(config.managerRole()) && TokenRoles.hasRealmRole(caller.token(), config.managerRole())) {
                return;
            }
            throw GraphqlException.forbidden("Must be " + config.managerRole()
                    + " in this personal access token's roles to see other users");
        }
        if (TokenRoles.hasRealmRole(caller.token(), config.managerRole())) {
            return;
        }
        if (!TokenRoles.mayViewUsers(caller.token())) {
            throw GraphqlException.forbidden("Must be " + config.managerRole() + " (or hold view-users) in this token to see users");
        }
        try {
            if (AdminPermissions.evaluator(session, realm, new AdminAuth(realm, caller.token(), caller.user(), caller.client()))
                    .users().canView()) {
                return;
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "view-users check failed for %s", caller.user().getUsername());
        }
        throw GraphqlException.forbidden("Must be " + config.managerRole() + " (or hold view-users) to see users");
    }

    /** One page of users sorted by username; reads {@code size + 1} rows to know whether more follow. */
    List<UserView> users(String search, int offset, int size) {
        RealmModel realm = session.getContext().getRealm();
        // One query for the page (UserPages: along the username index when Keycloak's search would be equivalent).
        // roles and profile look each user up by id (below), through Keycloak's user cache: after the first request,
        // a page's role mappings come from memory.
        List<UserModel> page = (blank(search) ? UserPages.byUsername(session, realm, offset, size + 1) : Optional.<List<UserModel>>empty())
                .orElseGet(() -> session.users().searchForUserStream(realm, UserPages.searchParameters(search), offset, size + 1).toList());
        return page.stream().map(user -> UserViews.of(user, null)).toList();
    }

    int countUsers(String search) {
        return session.users().getUsersCount(session.getContext().getRealm(), UserPages.searchParameters(search));
    }

    Optional<UserView> user(String id) {
        if (blank(id)) {
            return Optional.empty();
        }
        UserModel user = session.users().getUserById(session.getContext().getRealm(), id);
        if (user == null || user.getServiceAccountClientLink() != null) {
            return Optional.empty();
        }
        return Optional.of(UserViews.of(user, null));
    }

    /** Effective realm roles (composites and groups expanded), sorted. */
    List<String> roles(String userId) {
        UserModel user = cachedUser(userId);
        if (user == null) {
            return List.of();
        }
        return deepRoles(user).stream()
                .filter(role -> !role.isClientRole())
                .map(RoleModel::getName)
                .sorted()
                .toList();
    }

    /**
     * Makes {@code view} a {@link PendingUser} of this request: {@link #cachedUser}, {@link #roles} and the Hasura
     * role then answer for it as for a user just created.
     */
    UserModel pending(UserView view) {
        UserModel user = PendingUser.of(session, session.getContext().getRealm(), view);
        usersById.put(user.getId(), user);
        return user;
    }

    /** A user by id, once per request (a page's users are each asked for roles and profile). */
    UserModel cachedUser(String userId) {
        return usersById.computeIfAbsent(userId, id -> session.users().getUserById(session.getContext().getRealm(), id));
    }

    /** Effective role mappings (composites and groups expanded), once per user and request. */
    private Set<RoleModel> deepRoles(UserModel user) {
        return deepRoles.computeIfAbsent(user.getId(), id -> RoleUtils.getDeepUserRoleMappings(user));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
