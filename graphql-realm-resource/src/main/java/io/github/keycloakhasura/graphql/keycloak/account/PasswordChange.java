package io.github.keycloakhasura.graphql.keycloak.account;

import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.representations.AccessTokenResponse;

import java.util.List;

/**
 * passwordChange: the old password checked as one login attempt, the new one set under the realm's policy, the
 * user's other sessions ended (unless kept, offline ones included), and the caller's own session replaced by a new
 * one: the fresh tokens are its, and no token issued before the change (the caller's own refresh token included)
 * works afterwards.
 */
public final class PasswordChange {

    private PasswordChange() {
    }

    public static AccessTokenResponse change(Self self, String oldPassword, String newPassword, boolean keepOtherSessions) {
        Passwords.verify(self.session(), self.realm(), self.user(), oldPassword,
                self.event(EventType.UPDATE_CREDENTIAL_ERROR).detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.PASSWORD));
        SessionTokens.Continued continued = SessionTokens.Continued.of(self);
        Passwords.update(self.session(), self.realm(), self.user(), self.client(), self.userSession(), newPassword, "newPassword");
        if (keepOtherSessions) {
            UserSessions.end(self.session(), self.realm(), List.of(self.userSession()), self.event(EventType.LOGOUT));
        } else {
            UserSessions.endAll(self.session(), self.realm(), self.user(), self.event(EventType.LOGOUT));
        }
        return SessionTokens.inNewSession(self, continued);
    }
}
