package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.compat.KeycloakCompat;
import io.github.keycloakhasura.trust.BearerTokens;
import io.github.keycloakhasura.trust.TrustBoundary;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import java.util.List;

/**
 * The caller of an authenticated operation as Keycloak verified it: the request's {@code Authorization: Bearer}
 * token (signature, expiry, issuer, revocation, live session, enabled user and client) of an allowed client.
 * {@code x-hasura-*} headers are ignored.
 */
record BearerCaller(UserModel user, AccessToken token, ClientModel client, UserSessionModel userSession) implements KeycloakSide.VerifiedCaller {

    static final String MISSING = "Authentication required: send Authorization: Bearer <access token>";

    @Override
    public String userId() {
        return user.getId();
    }

    /** The caller named by the request's Authorization header(s); otherwise UNAUTHENTICATED. */
    static BearerCaller of(KeycloakSession session, TrustBoundary trust, List<String> authorization) {
        if (authorization == null || authorization.isEmpty()) {
            throw GraphqlException.unauthenticated(MISSING);
        }
        if (authorization.size() > 1) {
            throw GraphqlException.unauthenticated("Send exactly one Authorization header");
        }
        String token = BearerTokens.token(authorization.get(0));
        if (token == null) {
            throw GraphqlException.unauthenticated(MISSING);
        }
        AuthResult result = BearerTokens.authenticate(session, trust, token);
        if (result == null) {
            throw GraphqlException.unauthenticated("Invalid, expired or revoked access token");
        }
        // Keycloak has parsed the token: its claims are used as they are, not decoded again.
        return new BearerCaller(KeycloakCompat.user(result), KeycloakCompat.token(result), KeycloakCompat.client(result),
                KeycloakCompat.session(result));
    }

    /** The Keycloak side's own view of an API caller (the fetchers only ever hand back what {@link #of} made). */
    static BearerCaller of(Caller caller) {
        if (caller instanceof BearerCaller bearer) {
            return bearer;
        }
        throw new IllegalArgumentException("not a caller this backend authenticated");
    }
}
