package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.UserView;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserModel;
import org.keycloak.storage.adapter.AbstractInMemoryUserAdapter;

import java.util.List;
import java.util.stream.Stream;

/**
 * createUser's answer while the email waits for verification, as Keycloak creates such a user: the realm's default
 * roles and groups, enabled, email not verified, VERIFY_EMAIL pending; kept in memory for this one request. Both kinds
 * of pending sign-up are answered from it, the same way and at the same cost: a new address (its user was just
 * stored) and an address that has an account (nobody was stored: the answer describes the user Keycloak would have
 * created), so {@code roles} and {@code profile { role }} come out of the same computations for both.
 */
final class PendingUser extends AbstractInMemoryUserAdapter {

    private PendingUser(KeycloakSession session, RealmModel realm, String id) {
        super(session, realm, id);
    }

    /** The user of {@code view} (names already normalized as Keycloak stores them). */
    static UserModel of(KeycloakSession session, RealmModel realm, UserView view) {
        PendingUser user = new PendingUser(session, realm, view.id());
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

    /** No credentials, as a user just created has none yet (what password policies such as history and age read). */
    @Override
    public SubjectCredentialManager credentialManager() {
        return new NoCredentials();
    }

    private static final class NoCredentials implements SubjectCredentialManager {
        @Override
        public boolean isValid(List<CredentialInput> inputs) {
            return false;
        }

        @Override
        public boolean updateCredential(CredentialInput input) {
            throw readOnly();
        }

        @Override
        public void updateStoredCredential(CredentialModel cred) {
            throw readOnly();
        }

        @Override
        public CredentialModel createStoredCredential(CredentialModel cred) {
            throw readOnly();
        }

        @Override
        public boolean removeStoredCredentialById(String id) {
            return false;
        }

        @Override
        public CredentialModel getStoredCredentialById(String id) {
            return null;
        }

        @Override
        public Stream<CredentialModel> getStoredCredentialsStream() {
            return Stream.empty();
        }

        @Override
        public Stream<CredentialModel> getStoredCredentialsByTypeStream(String type) {
            return Stream.empty();
        }

        @Override
        public CredentialModel getStoredCredentialByNameAndType(String name, String type) {
            return null;
        }

        @Override
        public boolean moveStoredCredentialTo(String id, String newPreviousCredentialId) {
            return false;
        }

        @Override
        public void updateCredentialLabel(String credentialId, String credentialLabel) {
            throw readOnly();
        }

        @Override
        public void disableCredentialType(String credentialType) {
        }

        @Override
        public Stream<String> getDisableableCredentialTypesStream() {
            return Stream.empty();
        }

        @Override
        public boolean isConfiguredFor(String type) {
            return false;
        }

        @Override
        public boolean isConfiguredLocally(String type) {
            return false;
        }

        @Override
        public Stream<String> getConfiguredUserStorageCredentialTypesStream() {
            return Stream.empty();
        }

        @Override
        public CredentialModel createCredentialThroughProvider(CredentialModel model) {
            throw readOnly();
        }

        private static UnsupportedOperationException readOnly() {
            return new UnsupportedOperationException("a pending user is not stored from here");
        }
    }
}
