package io.github.keycloakhasura.graphql.passwordless;

import io.github.keycloakhasura.graphql.api.Tokens;

/**
 * What the passwordless fetchers ask of Keycloak (plain values only). Errors are {@code GraphqlException}s:
 * INVALID_TOKEN, INVALID_CODE, FORBIDDEN, ACTION_REQUIRED, OTP_REQUIRED, UNAUTHENTICATED (wrong one-time code).
 */
public interface Passwordless {

    /** Emails a sign-in link and code if an enabled user has this address; the same answer either way. */
    boolean sendLoginLink(String email);

    /** Tokens for the user the proof names, from Keycloak's flow and token manager. */
    Tokens login(LoginProof proof);
}
