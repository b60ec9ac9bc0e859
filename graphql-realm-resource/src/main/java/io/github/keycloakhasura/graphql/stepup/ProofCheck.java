package io.github.keycloakhasura.graphql.stepup;

import io.github.keycloakhasura.compat.BruteForce;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.keycloak.passkeys.PasskeyAssertion;
import io.github.keycloakhasura.graphql.keycloak.passkeys.PasskeySettings;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

import java.util.List;

/**
 * Checks a step-up proof with Keycloak's credential providers ({@code user.credentialManager().isValid}), as one
 * login attempt for its brute-force protector: a locked user is refused unchecked, a wrong proof is a failed login
 * of its category ({@code password}, {@code otp}) and a LOGIN_ERROR event, a right one a successful login. A passkey
 * is checked by {@code keycloak.passkeys.PasskeyAssertion} (passkeyLogin's check: a challenge of passkeyLoginOptions,
 * used up; one of this user's passkeys; webauthn4j; the signature counter) and counted like a password, as
 * passkeyLogin's flow step counts it (Keycloak 26.5+ counts only the password, OTP and recovery-code categories).
 */
final class ProofCheck {

    static final String INVALID = "Invalid proof";
    /** The detail of the LOGIN_ERROR event naming the operation. */
    static final String EVENT_DETAIL = "graphql_elevate";

    private ProofCheck() {
    }

    static void verify(KeycloakSession s, UserModel user, ClientModel client, UserSessionModel userSession, StepUp.Proof proof) {
        RealmModel realm = s.getContext().getRealm();
        EventBuilder failure = new EventBuilder(realm, s, s.getContext().getConnection()).event(EventType.LOGIN_ERROR)
                .user(user).client(client).session(userSession).detail(Details.USERNAME, user.getUsername());
        String category;
        boolean valid;
        if (proof instanceof StepUp.Proof.Password password) {
            category = PasswordCredentialModel.TYPE;
            failure.detail(EVENT_DETAIL, category);
            refuseLocked(s, realm, user, failure);
            valid = user.credentialManager().isValid(UserCredentialModel.password(password.password()));
        } else if (proof instanceof StepUp.Proof.Otp otp) {
            category = OTPCredentialModel.TYPE;
            failure.detail(EVENT_DETAIL, category);
            List<String> authenticators = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                    .map(c -> c.getId()).toList();
            if (authenticators.isEmpty()) {
                throw GraphqlException.badInput("No OTP authenticator is configured for this account");
            }
            refuseLocked(s, realm, user, failure);
            valid = authenticators.stream().anyMatch(id -> user.credentialManager()
                    .isValid(new UserCredentialModel(id, OTPCredentialModel.TYPE, otp.code())));
        } else if (proof instanceof StepUp.Proof.Passkey passkey) {
            PasskeySettings.requireOn(realm); // off: FORBIDDEN, as every passkey operation, and not counted
            category = PasswordCredentialModel.TYPE;
            failure.detail(EVENT_DETAIL, WebAuthnCredentialModel.TYPE_PASSWORDLESS);
            PasskeyAssertion assertion = PasskeyAssertion.parse(passkey.assertion()); // malformed: INVALID_CREDENTIAL
            refuseLocked(s, realm, user, failure);
            String refused = assertion.verify(s, client, user);
            if (refused != null) {
                failure.detail(Details.REASON, refused);
            }
            valid = refused == null;
        } else {
            throw new IllegalStateException("unknown proof " + proof);
        }
        if (!valid) {
            BruteForce.failed(s, realm, user, category);
            failure.error(Errors.INVALID_USER_CREDENTIALS);
            throw GraphqlException.unauthenticated(INVALID);
        }
        BruteForce.succeeded(s, realm, user, category);
    }

    private static void refuseLocked(KeycloakSession s, RealmModel realm, UserModel user, EventBuilder failure) {
        if (BruteForce.locked(s, realm, user)) {
            failure.error(Errors.USER_TEMPORARILY_DISABLED);
            throw GraphqlException.unauthenticated(INVALID);
        }
    }
}
