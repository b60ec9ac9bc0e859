package io.github.keycloakhasura.graphql.tokens;

import io.github.keycloakhasura.graphql.api.RawJson;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;

/**
 * refreshToken, verifyToken, revokeToken: tokens Keycloak issued, presented without a caller. Who may: anyone holding
 * the token, for a client of the trust boundary ({@code keycloak.GrantChecks}, {@code trust.BearerTokens}).
 */
public interface TokensPort {

    /** The payload of an access token Keycloak accepts as a bearer token now, as it was signed. */
    record VerifiedToken(RawJson payload) {
    }

    /** A refresh token revoked at {@code revokedAt} (epoch seconds). */
    record Revocation(long revokedAt) {
    }

    /** Keycloak's refresh grant at the client the token was issued to. */
    Tokens refresh(String refreshToken, TransactionMode mode);

    /** UNAUTHENTICATED unless Keycloak accepts the token as a bearer token right now. */
    VerifiedToken verify(String token, TransactionMode mode);

    Revocation revoke(String refreshToken, TransactionMode mode);
}
