package io.github.keycloakhasura.trust;

import io.github.keycloakhasura.compat.KeycloakCompat;
import org.jboss.logging.Logger;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.util.DefaultClientSessionContext;

/**
 * Bearer tokens, for the GraphQL endpoint and the Hasura webhook alike: the one parser of an {@code Authorization}
 * header, and the one check that a token is live (Keycloak's {@link AppAuthManager.BearerTokenAuthenticator}:
 * signature, expiry, issuer, revocation, session, enabled user and client) and issued to an allowed client.
 */
public final class BearerTokens {

    private static final Logger LOG = Logger.getLogger(BearerTokens.class);

    private BearerTokens() {
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive, any whitespace after it),
     * or null when the header is missing or is not a bearer header with a token.
     */
    public static String token(String header) {
        if (header == null) {
            return null;
        }
        String trimmed = header.trim();
        int space = 0;
        while (space < trimmed.length() && !Character.isWhitespace(trimmed.charAt(space))) {
            space++;
        }
        if (space == 0 || space == trimmed.length() || !trimmed.substring(0, space).equalsIgnoreCase("Bearer")) {
            return null;
        }
        String token = trimmed.substring(space).trim();
        return token.isEmpty() ? null : token;
    }

    /** A token Keycloak accepts as a bearer token right now, issued to one of the allowed clients; otherwise null. */
    public static AuthResult authenticate(KeycloakSession session, TrustBoundary trust, String token) {
        AuthResult result = live(session, token);
        if (result != null && !allowed(trust, result)) {
            LOG.debugf("bearer token of client %s refused: not in allowed-clients", clientId(result));
            return null;
        }
        return result;
    }

    /** A token Keycloak accepts as a bearer token right now, whatever its client; otherwise null. */
    public static AuthResult live(KeycloakSession session, String token) {
        try {
            return new AppAuthManager.BearerTokenAuthenticator(session).setRealm(session.getContext().getRealm())
                    .setTokenString(token).authenticate();
        } catch (RuntimeException e) {
            LOG.debugf(e, "bearer token refused");
            return null;
        }
    }

    /** Whether a live token was issued to one of the allowed clients. */
    public static boolean allowed(TrustBoundary trust, AuthResult result) {
        String clientId = clientId(result);
        return clientId != null && trust.allowsClient(clientId);
    }

    /**
     * A live token's client session as the token endpoint saw it: its client's session in the token's user session,
     * with the token's {@code scope} (so the same client scopes, mappers and roles); null when that client session
     * has ended.
     */
    public static ClientSessionContext clientSessionContext(KeycloakSession session, UserSessionModel userSession,
                                                            ClientModel client, AccessToken token) {
        AuthenticatedClientSessionModel clientSession = userSession == null || client == null ? null
                : userSession.getAuthenticatedClientSessionByClient(client.getId());
        return clientSession == null ? null
                : DefaultClientSessionContext.fromClientSessionAndScopeParameter(clientSession, token.getScope(), session);
    }

    private static String clientId(AuthResult result) {
        ClientModel client = KeycloakCompat.client(result);
        return client == null ? null : client.getClientId();
    }
}
