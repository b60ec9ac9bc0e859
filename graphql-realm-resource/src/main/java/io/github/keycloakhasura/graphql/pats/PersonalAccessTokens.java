package io.github.keycloakhasura.graphql.pats;

import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;

import java.util.List;

/**
 * Personal access tokens: long-lived credentials for scripts, limited to roles their owner chose among the owner's
 * own, listed and revocable at once. Created only with an elevated token (step-up); the secret is shown once.
 */
public interface PersonalAccessTokens {

    /** A new token: the only time {@code token} (the secret) is shown. Times are ISO-8601. */
    record Created(String id, String name, String token, List<String> roles, String expiresAt) {
    }

    /** A stored token, without its secret. Times are ISO-8601; {@code lastUsedAt} null when never used. */
    record Listed(String id, String name, List<String> roles, String createdAt, String lastUsedAt, String expiresAt) {
    }

    Created create(Caller caller, String name, List<String> roles, Integer expiresInDays, TransactionMode mode);

    List<Listed> list(Caller caller);

    /** Deletes the caller's token {@code id} and ends the sessions made from it; NOT_FOUND when the caller has none such. */
    boolean revoke(Caller caller, String id, TransactionMode mode);

    /** A short-lived access token (no refresh token) limited to the token's roles; INVALID_TOKEN when it is not usable. */
    Tokens login(String token);
}
