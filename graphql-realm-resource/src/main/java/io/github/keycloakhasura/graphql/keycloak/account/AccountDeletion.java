package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.AccountRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserManager;

/**
 * deleteAccount: allowed exactly when Keycloak's own delete-account action would allow it (the realm's
 * {@code delete_account} required action enabled, and the user holding the {@code account} client's
 * {@code delete-account} role), after the password is checked as one brute-force-counted login attempt.
 */
public final class AccountDeletion {

    static final String DELETE_ACCOUNT_ACTION = "delete_account";

    private AccountDeletion() {
    }

    public static boolean delete(Self self, String password) {
        String username = self.user().getUsername();
        if (!allowed(self)) {
            self.event(EventType.DELETE_ACCOUNT_ERROR).detail(Details.USERNAME, username)
                    .detail(Details.REASON, "deleting accounts is not enabled for this user").error(Errors.USER_DELETE_ERROR);
            throw GraphqlException.forbidden("This realm does not let you delete your account");
        }
        Passwords.verify(self.session(), self.realm(), self.user(), password,
                self.event(EventType.DELETE_ACCOUNT_ERROR).detail(Details.USERNAME, username));
        if (!new UserManager(self.session()).removeUser(self.realm(), self.user())) {
            self.event(EventType.DELETE_ACCOUNT_ERROR).detail(Details.USERNAME, username).error(Errors.USER_DELETE_ERROR);
            throw GraphqlException.forbidden("The account could not be deleted");
        }
        self.event(EventType.DELETE_ACCOUNT).detail(Details.USERNAME, username).success();
        return true;
    }

    private static boolean allowed(Self self) {
        RequiredActionProviderModel action = self.realm().getRequiredActionProviderByAlias(DELETE_ACCOUNT_ACTION);
        if (action == null || !action.isEnabled()) {
            return false;
        }
        ClientModel account = self.realm().getClientByClientId(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        RoleModel role = account == null ? null : account.getRole(AccountRoles.DELETE_ACCOUNT);
        return role != null && self.user().hasRole(role);
    }
}
