package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.UserView;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserModel;
import org.keycloak.storage.adapter.AbstractInMemoryUserAdapter;

/**
 * The user createUser answers with when the realm verifies email and the address already has an account: kept in
 * memory for this one request, never stored. It is what Keycloak would have created (the realm's default roles and
 * groups, enabled, email not verified, VERIFY_EMAIL pending), so the answer's {@code roles} and {@code profile { role }}
 * come out of the same computations as for a new user.
 */
final class StandInUser extends AbstractInMemoryUserAdapter {

    private StandInUser(KeycloakSession session, RealmModel realm, String id) {
        super(session, realm, id);
    }

    /** A stand-in with the names of {@code view} (already normalized as Keycloak stores them). */
    static UserModel of(KeycloakSession session, RealmModel realm, UserView view) {
        StandInUser user = new StandInUser(session, realm, view.id());
        user.setUsername(view.username());
        user.setEmail(view.email());
        user.setFirstName(view.firstName());
        user.setLastName(view.lastName());
        user.setEnabled(true);
        user.setEmailVerified(false);
        user.addDefaults();
        user.addRequiredAction(UserModel.RequiredAction.VERIFY_EMAIL);
        if (view.dateJoined() != null) {
            user.setCreatedTimestamp(java.time.Instant.parse(view.dateJoined()).toEpochMilli());
        }
        user.setReadonly(true);
        return user;
    }

    @Override
    public SubjectCredentialManager credentialManager() {
        throw new UnsupportedOperationException("a stand-in user has no credentials");
    }
}
