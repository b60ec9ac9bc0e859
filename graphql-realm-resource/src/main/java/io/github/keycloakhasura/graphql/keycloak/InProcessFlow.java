package io.github.keycloakhasura.graphql.keycloak;

import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.function.Consumer;

/**
 * A login of {@code client} through one of the realm's flows, run in process as Keycloak's password grant runs its
 * direct-grant flow ({@code ResourceOwnerPasswordCredentialsGrantType}): a new authentication session of the client
 * and an {@link AuthenticationProcessor} on the flow's "token" path, with {@code form} as the request's parameters.
 * The sign-ins of the passwordless and personal-access-token capabilities start here; what their flow's step checks
 * they hand over as a session attribute ({@link #passes}), never as a request parameter; a flow that passed ends in
 * Keycloak's {@link TokenManager} ({@link #tokens}), so every protocol mapper (the Hasura one included) applies.
 */
public record InProcessFlow(AuthenticationSessionManager authSessions, AuthenticationSessionModel authSession,
                            AuthenticationProcessor processor) {

    public static InProcessFlow start(KeycloakSession s, ClientModel client, String flowId, EventBuilder event,
                                      MultivaluedMap<String, String> form) {
        RealmModel realm = s.getContext().getRealm();
        AuthenticationSessionManager authSessions = new AuthenticationSessionManager(s);
        AuthenticationSessionModel authSession = authSessions.createAuthenticationSession(realm, false)
                .createAuthenticationSession(client);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setAction(AuthenticatedClientSessionModel.Action.AUTHENTICATE.name());
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(s.getContext().getUri().getBaseUri(), realm.getName()));
        AuthenticationProcessor processor = new AuthenticationProcessor();
        processor.setAuthenticationSession(authSession)
                .setFlowId(flowId)
                .setFlowPath("token")
                .setConnection(s.getContext().getConnection())
                .setEventBuilder(event)
                .setRealm(realm)
                .setSession(s)
                .setUriInfo(s.getContext().getUri())
                .setRequest(new FormRequest(s.getContext().getHttpRequest(), form));
        return new InProcessFlow(authSessions, authSession, processor);
    }

    /**
     * Runs the flow ({@link AuthenticationProcessor#authenticateOnly}) with {@code handover} as the session attribute
     * {@code attribute} for its step ({@link HandedOverAuthenticator#handedOver}), removed afterwards; whether it passed
     * without a challenge or a failure.
     */
    public boolean passes(String attribute, Object handover) {
        KeycloakSession s = processor.getSession();
        s.setAttribute(attribute, handover);
        try {
            return processor.authenticateOnly() == null;
        } catch (AuthenticationFlowException e) {
            return false;
        } finally {
            s.removeAttribute(attribute);
        }
    }

    /**
     * After the flow passed: the user session (with the client's scopes) as Keycloak's {@code attachSession} makes it,
     * {@code notes} written on its client session context, and Keycloak's token response builder for it (nothing
     * generated yet). A direct-grant session as tokenAuth's: mappers that look at the grant type treat both alike.
     */
    public TokenManager.AccessTokenResponseBuilder tokens(ClientModel client, EventBuilder event, Consumer<ClientSessionContext> notes) {
        KeycloakSession s = processor.getSession();
        AuthenticationManager.setClientScopesInSession(s, authSession);
        ClientSessionContext context = processor.attachSession();
        notes.accept(context);
        context.setAttribute(Constants.GRANT_TYPE, OAuth2Constants.PASSWORD);
        return new TokenManager().responseBuilder(processor.getRealm(), client, event, s, processor.getUserSession(), context);
    }

    /** Drops the authentication session (a refused or unfinished login). */
    public void discard(RealmModel realm) {
        authSessions.removeAuthenticationSession(realm, authSession, false);
    }
}
