package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.RawJson;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.trust.BearerTokens;
import io.github.keycloakhasura.trust.TrustBoundary;
import org.keycloak.models.KeycloakSession;

import java.util.List;

/** Access tokens presented to the API: the request's caller, and verifyToken (both through {@link BearerTokens}). */
public record Bearers(KeycloakSession session, TrustBoundary trust, TransactionRunner transactions) {

    /** The caller named by the request's Authorization header(s); otherwise UNAUTHENTICATED. */
    BearerCaller caller(List<String> authorization) {
        return BearerCaller.of(session, trust, authorization);
    }

    /** The payload of an access token Keycloak accepts as a bearer token right now, as it was signed. */
    public RawJson verify(String token, TransactionMode mode) {
        if (token == null || token.isBlank()) {
            throw GraphqlException.badInput("token must not be empty");
        }
        return transactions.run(mode, "verifyToken", s -> {
            if (BearerTokens.authenticate(s, trust, token) == null) {
                throw GraphqlException.unauthenticated("Invalid, expired or revoked token");
            }
            return new RawJson(Jwts.payloadJson(token));
        });
    }
}
