package io.github.keycloakhasura.graphql.keycloak.passkeys;

import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.WebAuthnCredentialModelInput;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A passkey assertion's check, shared by passkeyLogin (the sign-in flow's authenticator, {@code
 * PasswordlessAuthenticator}) and elevate's passkey proof ({@code stepup.ProofCheck}), as Keycloak's
 * {@code WebAuthnPasswordlessAuthenticator} does it: the user is the one the user handle names (the user's id, as
 * Keycloak's pages register it), or the one passkeyLoginOptions was asked for; the challenge is used up (single use:
 * a replayed or second response is refused); Keycloak's {@code webauthn-passwordless} credential provider verifies
 * the assertion with webauthn4j (rp id, origin among the client's web origins, signature, user verification per
 * policy); the signature counter must grow ({@link SignCounter}, on every Keycloak version). The caller counts a
 * refused assertion as a failed login of the user (the flow's failure, or {@code BruteForce.failed}).
 */
public final class PasskeyAssertion {

    private final CredentialJson credential;
    private final String challenge;

    private PasskeyAssertion(CredentialJson credential) {
        this.credential = credential;
        this.challenge = credential.challenge();
        credential.rawId();
        credential.field("authenticatorData");
        credential.field("signature");
        credential.userHandle();
    }

    /** The assertion of {@code navigator.credentials.get()}'s JSON; INVALID_CREDENTIAL when malformed. */
    public static PasskeyAssertion parse(Map<String, Object> json) {
        return new PasskeyAssertion(CredentialJson.of(json));
    }

    /** The assertion of an argument: its JSON object or text; INVALID_CREDENTIAL when malformed. */
    public static PasskeyAssertion parse(Object argument) {
        return parse(CredentialJson.object(argument));
    }

    /** The user the assertion is for (user handle, else the user the options were for), or null when unknown. */
    public UserModel user(KeycloakSession s) {
        String userId;
        byte[] handle = credential.userHandle();
        if (handle != null) {
            userId = new String(handle, StandardCharsets.UTF_8);
        } else {
            Challenges.Issued issued = Challenges.peek(s, challenge);
            userId = issued == null ? null : issued.userId();
        }
        if (userId == null || userId.isBlank() || userId.length() > 255) {
            return null;
        }
        try {
            return s.users().getUserById(s.getContext().getRealm(), userId);
        } catch (ModelException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Uses the challenge up and verifies the assertion as {@code user}'s passkey: null when it is one, else why not
     * (a failed login of {@code user}).
     */
    public String verify(KeycloakSession s, ClientModel client, UserModel user) {
        Challenges.Issued issued = Challenges.take(s, challenge);
        if (issued == null || issued.purpose() != Challenges.Purpose.LOGIN) {
            return "Unknown, expired or used challenge: ask passkeyLoginOptions for a new one";
        }
        if (issued.userId() != null && !issued.userId().equals(user.getId())) {
            return "This passkey is not one of the user's the options were for";
        }
        byte[] handle = credential.userHandle();
        if (handle != null && !user.getId().equals(new String(handle, StandardCharsets.UTF_8))) {
            return "Invalid passkey assertion: not a passkey of this account";
        }
        CredentialModel stored = SignCounter.stored(user, credential.rawId());
        if (stored == null) {
            return "Invalid passkey assertion: not a passkey of this account";
        }
        long before = SignCounter.counter(stored);
        long presented = SignCounter.presented(credential.field("authenticatorData"));
        PasskeyPolicy passkeys = PasskeyPolicy.of(s);
        ServerProperty server = new ServerProperty(passkeys.origins(s, client), passkeys.rpId(), new DefaultChallenge(challenge));
        WebAuthnCredentialModelInput input = new WebAuthnCredentialModelInput(WebAuthnCredentialModel.TYPE_PASSWORDLESS);
        input.setAuthenticationRequest(new AuthenticationRequest(credential.rawId(), credential.field("authenticatorData"),
                credential.clientDataJson(), credential.field("signature")));
        input.setAuthenticationParameters(new WebAuthnCredentialModelInput.KeycloakWebAuthnAuthenticationParameters(server,
                passkeys.userVerificationRequired()));
        boolean valid;
        try {
            valid = user.credentialManager().isValid(input);
        } catch (RuntimeException e) {
            return "Invalid passkey assertion: " + CredentialJson.reason(e);
        }
        if (!valid) {
            return "Invalid passkey assertion: not a passkey of this account, or its signature counter did not grow";
        }
        if (!SignCounter.grows(before, presented)) {
            return "Invalid passkey assertion: its signature counter did not grow (a cloned authenticator?)";
        }
        SignCounter.store(user, stored.getId(), presented);
        PasskeyUse.record(user, stored.getId());
        return null;
    }
}
