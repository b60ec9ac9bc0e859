package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.TokenUtil;

import java.util.Map;

/**
 * Fresh tokens for the caller in a NEW user session, after its old session was ended (passwordChange): no token of
 * the old session, the caller's own refresh token included, works afterwards, whatever second it was issued in.
 * The session is made as Keycloak's password grant makes it once its flow has authenticated the user (an
 * authentication session for the client with the old session's {@code scope}, {@link AuthenticationProcessor#attachSession},
 * then {@link TokenManager}'s response builder), so the same client scopes and every protocol mapper apply.
 */
final class SessionTokens {

    private SessionTokens() {
    }

    /** What a new session continues of the caller's current one: its client session's scope and its user-session notes. */
    record Continued(String scope, Map<String, String> userSessionNotes) {

        static Continued of(Self self) {
            AuthenticatedClientSessionModel clientSession = self.userSession().getAuthenticatedClientSessionByClient(self.client().getId());
            if (clientSession == null) {
                throw GraphqlException.unauthenticated("The session of this access token has ended");
            }
            return new Continued(clientSession.getNote(OAuth2Constants.SCOPE), Map.copyOf(self.userSession().getNotes()));
        }
    }

    /** A new user session for the caller's user and client; its tokens. Call after the old session has ended. */
    static AccessTokenResponse inNewSession(Self self, Continued continued) {
        KeycloakSession s = self.session();
        RealmModel realm = self.realm();
        AuthenticationSessionModel auth = new AuthenticationSessionManager(s).createAuthenticationSession(realm, false)
                .createAuthenticationSession(self.client());
        auth.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        auth.setAction(AuthenticatedClientSessionModel.Action.AUTHENTICATE.name());
        auth.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(s.getContext().getUri().getBaseUri(), realm.getName()));
        if (continued.scope() != null) {
            auth.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, continued.scope());
        }
        continued.userSessionNotes().forEach(auth::setUserSessionNote);
        auth.setAuthenticatedUser(self.user());
        AuthenticationManager.setClientScopesInSession(s, auth);

        EventBuilder event = self.event(EventType.LOGIN);
        ClientSessionContext context = AuthenticationProcessor.attachSession(auth, null, s, realm,
                s.getContext().getConnection(), event);
        UserSessionModel userSession = context.getClientSession().getUserSession();
        TokenManager.AccessTokenResponseBuilder builder = new TokenManager()
                .responseBuilder(realm, self.client(), event, s, userSession, context)
                .generateAccessToken()
                .generateRefreshToken();
        if (TokenUtil.TOKEN_TYPE_OFFLINE.equals(builder.getRefreshToken().getType())) {
            // As the password grant: an offline login keeps only its offline session.
            s.sessions().removeUserSession(realm, userSession);
        }
        if (TokenUtil.isOIDCRequest(context.getClientSession().getNote(OAuth2Constants.SCOPE))) {
            builder.generateIDToken().generateAccessTokenHash();
        }
        AccessTokenResponse response = builder.build();
        event.session(userSession).success();
        return response;
    }
}
