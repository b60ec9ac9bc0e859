package io.github.keycloakhasura.graphql.passwordless.passkeys;

import io.github.keycloakhasura.graphql.keycloak.passkeys.Challenges;
import io.github.keycloakhasura.graphql.keycloak.passkeys.PasskeyPolicy;
import org.keycloak.common.util.Base64Url;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.WebAuthnPolicy;
import org.keycloak.models.credential.WebAuthnCredentialModel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code PublicKeyCredentialCreationOptions} and {@code PublicKeyCredentialRequestOptions} as JSON (binary values
 * base64url, as {@code PublicKeyCredential.parseCreationOptionsFromJSON} takes them), from the realm's WebAuthn
 * Passwordless policy and what Keycloak's own register and login pages put into theirs: the user handle is the
 * user's id (UTF-8), so a passkey works on both.
 */
final class PasskeyOptions {

    private PasskeyOptions() {
    }

    static Map<String, Object> creation(KeycloakSession s, UserModel user) {
        PasskeyPolicy passkeys = PasskeyPolicy.of(s);
        WebAuthnPolicy policy = passkeys.policy();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", Challenges.issue(s, Challenges.Purpose.REGISTER, user.getId(), passkeys.challengeSeconds()));
        options.put("rp", Map.of("id", passkeys.rpId(), "name", policy.getRpEntityName() == null
                ? Constants.DEFAULT_WEBAUTHN_POLICY_RP_ENTITY_NAME : policy.getRpEntityName()));
        String displayName = String.join(" ", nonBlank(user.getFirstName()), nonBlank(user.getLastName())).trim();
        options.put("user", Map.of("id", Base64Url.encode(user.getId().getBytes(StandardCharsets.UTF_8)),
                "name", user.getUsername(), "displayName", displayName.isEmpty() ? user.getUsername() : displayName));
        options.put("pubKeyCredParams", passkeys.algorithms().stream()
                .map(alg -> Map.<String, Object>of("type", "public-key", "alg", alg)).toList());
        options.put("timeout", passkeys.challengeSeconds() * 1000L);
        options.put("attestation", PasskeyPolicy.specified(policy.getAttestationConveyancePreference())
                ? policy.getAttestationConveyancePreference() : "none");
        Map<String, Object> selection = new LinkedHashMap<>();
        if (PasskeyPolicy.specified(policy.getAuthenticatorAttachment())) {
            selection.put("authenticatorAttachment", policy.getAuthenticatorAttachment());
        }
        String resident = policy.getRequireResidentKey();
        selection.put("residentKey", Constants.WEBAUTHN_POLICY_OPTION_YES.equals(resident) ? "required"
                : Constants.WEBAUTHN_POLICY_OPTION_NO.equals(resident) ? "discouraged" : "preferred");
        selection.put("requireResidentKey", Constants.WEBAUTHN_POLICY_OPTION_YES.equals(resident));
        selection.put("userVerification", userVerification(policy));
        options.put("authenticatorSelection", selection);
        options.put("excludeCredentials", descriptors(user));
        return options;
    }

    /**
     * The challenge bound to {@code userId} (null: any user, for discoverable credentials); with {@code user} (the one
     * the username named), its passkeys as allowCredentials. A name ({@code named}, null for discoverable
     * credentials) without passkeys gets the {@link DecoyCredential} instead of none, so the answer does not tell
     * which names have passkeys: keyed by the user (the same by username or email) or, for no user, by the name.
     */
    static Map<String, Object> request(KeycloakSession s, String userId, UserModel user, String named) {
        PasskeyPolicy passkeys = PasskeyPolicy.of(s);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", Challenges.issue(s, Challenges.Purpose.LOGIN, userId, passkeys.challengeSeconds()));
        options.put("rpId", passkeys.rpId());
        options.put("timeout", passkeys.challengeSeconds() * 1000L);
        options.put("userVerification", userVerification(passkeys.policy()));
        List<Map<String, Object>> allowed = user == null ? List.of() : descriptors(user);
        if (allowed.isEmpty() && named != null) {
            allowed = DecoyCredential.forName(s, user == null ? "name:" + named.trim().toLowerCase(Locale.ROOT) : "user:" + user.getId());
        }
        options.put("allowCredentials", allowed);
        return options;
    }

    private static String userVerification(WebAuthnPolicy policy) {
        return PasskeyPolicy.specified(policy.getUserVerificationRequirement()) ? policy.getUserVerificationRequirement() : "preferred";
    }

    /** The user's passkeys as {@code PublicKeyCredentialDescriptor}s (Keycloak stores the id in standard base64). */
    private static List<Map<String, Object>> descriptors(UserModel user) {
        List<Map<String, Object>> descriptors = new ArrayList<>();
        user.credentialManager().getStoredCredentialsByTypeStream(WebAuthnCredentialModel.TYPE_PASSWORDLESS).forEach(model -> {
            String id = WebAuthnCredentialModel.createFromCredentialModel(model).getWebAuthnCredentialData().getCredentialId();
            descriptors.add(Map.of("type", "public-key", "id", Base64Url.encode(Base64.getMimeDecoder().decode(id))));
        });
        return descriptors;
    }

    private static String nonBlank(String value) {
        return value == null ? "" : value.trim();
    }
}
