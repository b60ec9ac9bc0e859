package io.github.keycloakhasura.graphql.passwordless.passkeys;

import org.keycloak.common.util.Base64Url;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@code passkeyLoginOptions(username)} lists for a name without passkeys (no such user, a disabled one, or one
 * without any): one credential id that looks like a passkey's, the same for that name on every call, derived from
 * the realm's own HMAC key ({@code HS512}, Keycloak's {@code hmac-generated} provider) so nobody without the key can
 * tell it from a real one. Without it, {@code allowCredentials} would be empty exactly when the name has no passkey:
 * an answer telling which accounts have passkeys. No assertion ever verifies against a decoy (no credential has its
 * id), so a sign-in with it fails like any wrong passkey.
 */
final class DecoyCredential {

    /** The length of the ids platform authenticators commonly make. */
    static final int ID_BYTES = 32;

    private DecoyCredential() {
    }

    /** The decoy descriptor for {@code name} (what it stands for); none when the realm has no active HS512 key. */
    static List<Map<String, Object>> forName(KeycloakSession s, String name) {
        RealmModel realm = s.getContext().getRealm();
        KeyWrapper key = s.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        SecretKey secret = key == null ? null : key.getSecretKey();
        if (secret == null) {
            return List.of();
        }
        return List.of(Map.of("type", "public-key", "id", Base64Url.encode(id(secret.getEncoded(), realm.getId(), name))));
    }

    /** HMAC-SHA256 of the realm id and the name, cut to ID_BYTES. */
    static byte[] id(byte[] secret, String realmId, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            mac.update(("passkey-decoy\0" + realmId + "\0").getBytes(StandardCharsets.UTF_8));
            byte[] digest = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, ID_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
