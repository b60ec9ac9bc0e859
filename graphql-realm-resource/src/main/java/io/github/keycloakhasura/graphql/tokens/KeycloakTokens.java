package io.github.keycloakhasura.graphql.tokens;

import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.keycloak.Bearers;
import io.github.keycloakhasura.graphql.keycloak.TokenGrants;

/** {@link TokensPort} on Keycloak: its refresh grant and revocation endpoint ({@link TokenGrants}), its bearer check. */
public record KeycloakTokens(TokenGrants grants, Bearers bearers) implements TokensPort {

    @Override
    public Tokens refresh(String refreshToken, TransactionMode mode) {
        return grants.refresh(refreshToken, mode);
    }

    @Override
    public VerifiedToken verify(String token, TransactionMode mode) {
        return new VerifiedToken(bearers.verify(token, mode));
    }

    @Override
    public Revocation revoke(String refreshToken, TransactionMode mode) {
        return new Revocation(grants.revoke(refreshToken, mode));
    }
}
