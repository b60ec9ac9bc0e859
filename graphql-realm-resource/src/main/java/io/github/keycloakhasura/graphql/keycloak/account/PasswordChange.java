package io.github.keycloakhasura.graphql.keycloak.account;

import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.representations.AccessTokenResponse;

import java.util.List;

/**
 * passwordChange: the old password checked as one login attempt, the new one set under the realm's policy, the
 * user's other sessions ended (unless kept), fresh tokens for the caller's session.
 */
public final class PasswordChange {

    private PasswordChange() {
    }

    public static AccessTokenResponse change(Self self, String oldPassword, String newPassword, boolean keepOtherSessions) {
        Passwords.verify(self.session(), self.realm(), self.user(), oldPassword,
                self.event(EventType.UPDATE_CREDENTIAL_ERROR).detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.PASSWORD));
        Passwords.update(self.session(), self.realm(), self.user(), self.client(), self.userSession(), newPassword, "newPassword");
        if (!keepOtherSessions) {
            List<UserSessionModel> others = UserSessions.all(self).stream()
                    .filter(s -> !s.getId().equals(self.userSession().getId()))
                    .toList();
            UserSessions.end(self, others);
        }
        return SessionTokens.issue(self);
    }
}
