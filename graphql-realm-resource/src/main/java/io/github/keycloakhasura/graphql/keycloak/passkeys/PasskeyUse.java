package io.github.keycloakhasura.graphql.keycloak.passkeys;

import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

import java.util.Base64;

/**
 * When each passkey last signed in through GraphQL: Keycloak's WebAuthn credential has no such field (and refuses
 * unknown ones in its stored JSON), so it is a user attribute {@value #PREFIX}{@code <credential id>} (epoch
 * milliseconds), written with the counter Keycloak updates anyway, removed with the passkey.
 */
public final class PasskeyUse {

    static final String PREFIX = "graphqlPasskeyUsed.";

    private PasskeyUse() {
    }

    public static void record(UserModel user, String credentialModelId) {
        user.setSingleAttribute(PREFIX + credentialModelId, String.valueOf(System.currentTimeMillis()));
    }

    public static Long lastUsed(UserModel user, String credentialId) {
        String value = user.getFirstAttribute(PREFIX + credentialId);
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static void forget(UserModel user, String credentialId) {
        user.removeAttribute(PREFIX + credentialId);
    }

    /** The WebAuthn credential id Keycloak stores (standard base64, as its register action writes it). */
    public static byte[] credentialId(CredentialModel model) {
        try {
            return Base64.getMimeDecoder().decode(WebAuthnCredentialModel.createFromCredentialModel(model)
                    .getWebAuthnCredentialData().getCredentialId());
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }
}
