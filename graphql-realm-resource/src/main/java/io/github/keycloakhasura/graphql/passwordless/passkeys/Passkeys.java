package io.github.keycloakhasura.graphql.passwordless.passkeys;

import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.TransactionMode;

import java.util.List;
import java.util.Map;

/**
 * What the passkey fetchers ask of Keycloak (plain values; JSON as maps). passkeyLogin is the passwordless port's
 * ({@code Passwordless#login}), as it runs the same flow. Errors are {@code GraphqlException}s: INVALID_CREDENTIAL,
 * FORBIDDEN (passkeys off), REAUTHENTICATION_REQUIRED, UNAUTHENTICATED, NOT_FOUND, BAD_USER_INPUT.
 */
public interface Passkeys {

    /** A passkey of the caller, as {@code passkeys} lists it; times are ISO-8601, {@code lastUsedAt} null if never. */
    record Passkey(String id, String label, String createdAt, String lastUsedAt) {
    }

    /** {@code PublicKeyCredentialCreationOptions} for the caller under the realm's WebAuthn Passwordless policy. */
    Map<String, Object> registrationOptions(Caller caller);

    /** Verifies {@code navigator.credentials.create()}'s result and stores it as the caller's passkey. */
    boolean register(Caller caller, Map<String, Object> credential, String label, String password, TransactionMode mode);

    /** {@code PublicKeyCredentialRequestOptions}; {@code username} null for discoverable credentials. */
    Map<String, Object> loginOptions(String username);

    List<Passkey> list(Caller caller);

    boolean remove(Caller caller, String id, String password, TransactionMode mode);
}
