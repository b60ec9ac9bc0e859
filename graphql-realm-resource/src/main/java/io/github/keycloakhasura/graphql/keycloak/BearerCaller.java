package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.compat.KeycloakCompat;
import io.github.keycloakhasura.mapper.RoleLimit;
import io.github.keycloakhasura.trust.BearerTokens;
import io.github.keycloakhasura.trust.TrustBoundary;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import java.util.List;
import java.util.Set;

/**
 * The caller of an authenticated operation as Keycloak verified it: the request's {@code Authorization: Bearer}
 * token (signature, expiry, issuer, revocation, live session, enabled user and client) of an allowed client.
 * {@code x-hasura-*} headers are ignored.
 * <p>
 * A token made from a personal access token ({@code tokenAuthWithPersonalAccessToken}: its client session carries
 * {@link RoleLimit#NOTE}) is a credential for Hasura's data, limited to the token's roles: {@link #roleLimit} holds
 * them. Such a caller only reads who it is ({@link #reading}: whoami, its own record and Hasura session variables, the
 * directory only when its roles include the manager role); every other operation takes its caller through
 * {@link #of(Caller)} and refuses it with FORBIDDEN, so an operation added later is refused unless it opts in.
 *
 * @param roleLimit the personal access token's roles, or null for a token of a sign-in
 */
record BearerCaller(UserModel user, AccessToken token, ClientModel client, UserSessionModel userSession,
                    Set<String> roleLimit) implements KeycloakSide.VerifiedCaller {

    static final String LIMITED = "A token made from a personal access token only reads who it is (whoami, user) and "
            + "calls Hasura; sign in for this operation";

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
        ClientModel client = KeycloakCompat.client(result);
        UserSessionModel userSession = KeycloakCompat.session(result);
        AuthenticatedClientSessionModel clientSession = userSession == null || client == null ? null
                : userSession.getAuthenticatedClientSessionByClient(client.getId());
        if (clientSession == null) {
            // Keycloak refuses such a token already; were it not to, no limit could be read: refuse, never assume none.
            throw GraphqlException.unauthenticated("Invalid, expired or revoked access token");
        }
        String limit = clientSession.getNote(RoleLimit.NOTE);
        return new BearerCaller(KeycloakCompat.user(result), KeycloakCompat.token(result), client, userSession,
                limit == null ? null : Set.copyOf(RoleLimit.parse(limit)));
    }

    /** Whether the token was made from a personal access token (limited to {@link #roleLimit}). */
    boolean personalAccessToken() {
        return roleLimit != null;
    }

    /**
     * The Keycloak side's own view of an API caller (the fetchers only ever hand back what {@link #of} made), for an
     * operation a token of a sign-in may run: FORBIDDEN for a token made from a personal access token.
     */
    static BearerCaller of(Caller caller) {
        BearerCaller bearer = reading(caller);
        if (bearer.personalAccessToken()) {
            throw GraphqlException.forbidden(LIMITED);
        }
        return bearer;
    }

    /** The caller for the reads any token may make (whoami, its own record, its session variables, the directory check). */
    static BearerCaller reading(Caller caller) {
        if (caller instanceof BearerCaller bearer) {
            return bearer;
        }
        throw new IllegalArgumentException("not a caller this backend authenticated");
    }
}
