package io.github.keycloakhasura.graphql.keycloak.passkeys;

import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

import java.util.Arrays;

/**
 * The passkey's signature counter, checked and stored here on every Keycloak version: 26.7's credential provider
 * refuses a counter that did not grow and stores the new one, but 26.4's stores {@code counter + 1} only when the
 * stored counter is already above 0, so a passkey registered with 0 keeps 0 there and any counter passes. Rule (as
 * 26.7's): when the stored or the presented counter is above 0, the presented one must be greater.
 */
final class SignCounter {

    /** The signature counter's offset in authenticator data: rp id hash (32 bytes), flags (1 byte). */
    private static final int OFFSET = 33;

    private SignCounter() {
    }

    /** The stored credential with this WebAuthn credential id, or null. */
    static CredentialModel stored(UserModel user, byte[] rawId) {
        return user.credentialManager().getStoredCredentialsByTypeStream(WebAuthnCredentialModel.TYPE_PASSWORDLESS)
                .filter(model -> Arrays.equals(rawId, PasskeyUse.credentialId(model)))
                .findFirst().orElse(null);
    }

    static long counter(CredentialModel model) {
        return WebAuthnCredentialModel.createFromCredentialModel(model).getWebAuthnCredentialData().getCounter();
    }

    /** The counter the authenticator data carries (unsigned 32-bit, big-endian), or -1 when too short. */
    static long presented(byte[] authenticatorData) {
        if (authenticatorData.length < OFFSET + 4) {
            return -1;
        }
        long n = 0;
        for (int i = OFFSET; i < OFFSET + 4; i++) {
            n = (n << 8) | (authenticatorData[i] & 0xff);
        }
        return n;
    }

    /** Whether {@code presented} may follow {@code before}. */
    static boolean grows(long before, long presented) {
        return (before == 0 && presented == 0) || presented > before;
    }

    /** Stores {@code presented} as the credential's counter (after a verified assertion). */
    static void store(UserModel user, String credentialModelId, long presented) {
        CredentialModel current = user.credentialManager().getStoredCredentialById(credentialModelId);
        if (current == null) {
            return;
        }
        WebAuthnCredentialModel model = WebAuthnCredentialModel.createFromCredentialModel(current);
        if (model.getWebAuthnCredentialData().getCounter() != presented) {
            model.updateCounter(presented);
            user.credentialManager().updateStoredCredential(model);
        }
    }
}
