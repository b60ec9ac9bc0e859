package io.github.keycloakhasura.pat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Personal access tokens stored as Keycloak credentials of the user (type {@value #TYPE}), so an admin sees and
 * deletes them under Users &gt; Credentials. The secret is never stored: only its SHA-256 (256 random bits, so a fast
 * hash suffices) in the credential's secret data; its name is the credential's label; roles, client, expiry and last
 * use in its credential data. The token is {@code kcpat.<user id>.<credential id>.<secret>}.
 * <p>
 * An admin ends a user's tokens as Keycloak ends its own: by a not-before ({@link #signedOut}). The user's Sessions tab's
 * "Logout all sessions" ({@code POST /admin/realms/{realm}/users/{id}/logout}) sets the user's, and the Revocation
 * tabs set the realm's and the client's; a token created at or before it is refused on its next use, as Keycloak refuses its tokens issued
 * before it.
 */
public final class PatCredentials {

    public static final String TYPE = "graphql-personal-access-token";
    public static final String PREFIX = "kcpat.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the credential data holds. */
    public record Data(List<String> roles, String clientId, long createdAt, long expiresAt, Long lastUsedAt) {
    }

    /** A stored token: its credential and data. */
    public record Stored(UserModel user, CredentialModel credential, Data data) {
        public boolean expired() {
            return data.expiresAt() <= Time.currentTime();
        }
    }

    private PatCredentials() {
    }

    /** Stores a new token for {@code user}; returns the token text (shown once) and its credential. */
    public static Map.Entry<String, CredentialModel> create(UserModel user, String name, List<String> roles, String clientId,
                                                      int expiresInDays) {
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        long now = Time.currentTime();
        CredentialModel model = new CredentialModel();
        model.setType(TYPE);
        model.setUserLabel(name);
        model.setCreatedDate(now * 1000);
        model.setSecretData(write(Map.of("sha256", sha256(secret))));
        model.setCredentialData(write(new Data(roles, clientId, now, now + expiresInDays * 86_400L, null)));
        CredentialModel stored = user.credentialManager().createStoredCredential(model);
        return Map.entry(PREFIX + user.getId() + "." + stored.getId() + "." + secret, stored);
    }

    /** Whether {@code token} has the form of a personal access token (not a JWT). */
    public static boolean isToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    public static Stream<Stored> list(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(TYPE).map(c -> new Stored(user, c, data(c)));
    }

    /**
     * The stored token {@code token} names when its secret matches (constant-time compare) and no admin signed it out
     * ({@link #signedOut}), whatever its expiry or its owner's state (the caller decides); null otherwise.
     */
    public static Stored find(KeycloakSession s, RealmModel realm, String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return null;
        }
        String[] parts = token.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return null;
        }
        UserModel user = s.users().getUserById(realm, parts[0]);
        CredentialModel credential = user == null ? null : user.credentialManager().getStoredCredentialById(parts[1]);
        if (credential == null || !TYPE.equals(credential.getType())) {
            return null;
        }
        Map<String, String> secret = read(credential.getSecretData(), new TypeReference<>() { });
        byte[] expected = secret == null || secret.get("sha256") == null ? new byte[0]
                : secret.get("sha256").getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sha256(parts[2]).getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        Stored stored = new Stored(user, credential, data(credential));
        return signedOut(s, realm, stored) ? null : stored;
    }

    /**
     * Whether an admin ended the token: the not-before of the realm, of the token's client or of its user (the one
     * "Logout all sessions" sets: Keycloak's {@code UserResource.logout}) is at or after the second it was created (at:
     * whole seconds, so a token created in the second of a sign-out dies with it). Read live on every use.
     */
    public static boolean signedOut(KeycloakSession s, RealmModel realm, Stored stored) {
        long notBefore = realm.getNotBefore();
        String clientId = stored.data().clientId();
        ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
        if (client != null) {
            notBefore = Math.max(notBefore, client.getNotBefore());
        }
        notBefore = Math.max(notBefore, s.users().getNotBeforeOfUser(realm, stored.user()));
        return notBefore > 0 && stored.data().createdAt() <= notBefore;
    }

    /** Records a use, at most once a minute (a write per webhook call would cost more than the call). */
    public static void used(Stored stored) {
        long now = Time.currentTime();
        Data data = stored.data();
        if (data.lastUsedAt() != null && now - data.lastUsedAt() < 60) {
            return;
        }
        stored.credential().setCredentialData(write(new Data(data.roles(), data.clientId(), data.createdAt(), data.expiresAt(), now)));
        stored.user().credentialManager().updateStoredCredential(stored.credential());
    }

    public static Data data(CredentialModel credential) {
        Data data = read(credential.getCredentialData(), new TypeReference<Data>() { });
        return data != null ? data : new Data(List.of(), null, 0, 0, null);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return text == null ? null : JSON.readValue(text, type);
        } catch (Exception e) {
            return null;
        }
    }
}
