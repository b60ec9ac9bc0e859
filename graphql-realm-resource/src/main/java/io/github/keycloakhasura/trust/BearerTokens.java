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
 * signature, expiry, issuer, revocation, session, enabled user and client) and {@link #refusal trusted}: issued to an
 * allowed client, and of an online session unless {@code allow-offline-tokens} is on.
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

    /** A token Keycloak accepts as a bearer token right now and the trust boundary trusts ({@link #refusal}); otherwise null. */
    public static AuthResult authenticate(KeycloakSession session, TrustBoundary trust, String token) {
        AuthResult result = live(session, token);
        if (result != null) {
            String refusal = refusal(trust, result);
            if (refusal != null) {
                LOG.debugf("bearer token of client %s refused: %s", clientId(result), refusal);
                return null;
            }
        }
        return result;
    }

    /**
     * Why the trust boundary refuses a live token, or null when it trusts it: the token must be issued to one of the
     * allowed clients and, unless {@code allow-offline-tokens} is on, belong to no offline session (neither kept in one,
     * which Keycloak's offline logins are, nor issued with the {@code offline_access} scope). Every endpoint that takes
     * a bearer token asks this one question: GraphQL's callers, verifyToken and the Hasura webhook.
     */
    public static String refusal(TrustBoundary trust, AuthResult result) {
        if (!allowed(trust, result)) {
            return "Tokens of this client are not accepted here (allowed-clients).";
        }
        if (!trust.allowOfflineTokens() && offline(result)) {
            return "Tokens of offline sessions are not accepted here (allow-offline-tokens is off).";
        }
        return null;
    }

    private static boolean offline(AuthResult result) {
        UserSessionModel userSession = KeycloakCompat.session(result);
        AccessToken token = KeycloakCompat.token(result);
        return (userSession != null && userSession.isOffline())
                || (token != null && TrustBoundary.asksOffline(token.getScope()));
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
    static boolean allowed(TrustBoundary trust, AuthResult result) {
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
