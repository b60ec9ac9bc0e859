package io.github.keycloakhasura.graphql.account;

import io.github.keycloakhasura.graphql.api.AccountUpdate;
import io.github.keycloakhasura.graphql.api.SessionView;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TotpSecret;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.keycloak.KeycloakSide;
import io.github.keycloakhasura.graphql.keycloak.TokenEndpointCalls;
import io.github.keycloakhasura.graphql.keycloak.TransactionRunner;
import io.github.keycloakhasura.graphql.keycloak.UserViews;
import io.github.keycloakhasura.graphql.keycloak.account.AccountDeletion;
import io.github.keycloakhasura.graphql.keycloak.account.AccountProfile;
import io.github.keycloakhasura.graphql.keycloak.account.PasswordChange;
import io.github.keycloakhasura.graphql.keycloak.account.Self;
import io.github.keycloakhasura.graphql.keycloak.account.Totp;
import io.github.keycloakhasura.graphql.keycloak.account.UserSessions;
import org.keycloak.models.UserModel;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The caller's own account: each operation finds the caller again ({@link Self}) in the Keycloak session of its
 * transaction and runs the {@code keycloak.account} class for it. The {@link Account} port on Keycloak.
 */
public record KeycloakAccount(KeycloakSide.VerifiedCaller caller, TransactionMode mode, TransactionRunner transactions,
                              String appClientId)
        implements Account {

    private <T> T run(String operation, Function<Self, T> work) {
        String userId = caller.user().getId();
        String sessionId = caller.token().getSessionId();
        String clientUuid = caller.client().getId();
        return transactions.run(mode, operation, s -> work.apply(Self.of(s, userId, sessionId, clientUuid)));
    }

    @Override
    public Tokens passwordChange(String oldPassword, String newPassword, boolean keepOtherSessions) {
        return run("passwordChange", self -> TokenEndpointCalls.tokens(PasswordChange.change(self, oldPassword, newPassword,
                keepOtherSessions)));
    }

    @Override
    public TotpSecret totpSetup() {
        return run("totpSetup", Totp::setup);
    }

    @Override
    public boolean totpConfirm(String code, String label, String password) {
        return run("totpConfirm", self -> Totp.confirm(self, code, label, password));
    }

    @Override
    public boolean totpRemove(String code, String password) {
        return run("totpRemove", self -> Totp.remove(self, code, password));
    }

    @Override
    public boolean logout(boolean allSessions) {
        return run("logout", self -> UserSessions.logout(self, allSessions));
    }

    @Override
    public List<SessionView> sessions() {
        return run("sessions", UserSessions::list);
    }

    @Override
    public AccountUpdate update(String firstName, String lastName, String email, Map<String, Object> attributes,
                                String password) {
        return run("updateAccount", self -> {
            UserModel user = AccountProfile.update(self, firstName, lastName, email, attributes, password,
                    appClientId);
            return new AccountUpdate(UserViews.of(user, null), user.getFirstAttribute(UserModel.EMAIL_PENDING));
        });
    }

    @Override
    public boolean delete(String password) {
        return run("deleteAccount", self -> AccountDeletion.delete(self, password));
    }
}
