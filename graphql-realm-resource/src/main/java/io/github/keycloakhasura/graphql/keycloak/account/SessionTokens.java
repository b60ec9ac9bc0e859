package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.util.DefaultClientSessionContext;
import org.keycloak.util.TokenUtil;

/**
 * Fresh tokens for the caller's own user session and client, built by Keycloak's {@link TokenManager} as its
 * refresh grant builds them (same scopes as the session's client session, every protocol mapper applied).
 */
final class SessionTokens {

    private SessionTokens() {
    }

    static AccessTokenResponse issue(Self self) {
        AuthenticatedClientSessionModel clientSession = self.userSession().getAuthenticatedClientSessionByClient(self.client().getId());
        if (clientSession == null) {
            throw GraphqlException.unauthenticated("The session of this access token has ended");
        }
        ClientSessionContext context = DefaultClientSessionContext.fromClientSessionScopeParameter(clientSession, self.session());
        EventBuilder event = self.event(EventType.REFRESH_TOKEN);
        TokenManager.AccessTokenResponseBuilder builder = new TokenManager()
                .responseBuilder(self.realm(), self.client(), event, self.session(), self.userSession(), context)
                .generateAccessToken()
                .generateRefreshToken();
        if (TokenUtil.isOIDCRequest(clientSession.getNote(OAuth2Constants.SCOPE))) {
            builder.generateIDToken().generateAccessTokenHash();
        }
        AccessTokenResponse response = builder.build();
        event.success();
        return response;
    }
}
