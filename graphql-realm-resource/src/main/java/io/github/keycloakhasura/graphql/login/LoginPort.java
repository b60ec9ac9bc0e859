package io.github.keycloakhasura.graphql.login;

import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.Tokens;

/** What tokenAuth asks of Keycloak; only plain values cross it. {@link KeycloakLogin} is the real one. */
public interface LoginPort {

    /**
     * tokenAuth: the password grant (with {@code otp} and the {@code pending} required actions completed in the same
     * call); with {@code organization} (an alias) logs in to that organization (the user must be a member, else
     * FORBIDDEN); without, the session may switch later and has the user's only organization active.
     */
    Tokens login(String username, String password, String clientId, String scope, String otp, PendingActionInput pending,
                 String organization);
}
