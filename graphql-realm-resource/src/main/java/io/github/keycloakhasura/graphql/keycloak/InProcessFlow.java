package io.github.keycloakhasura.graphql.keycloak;

import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A login of {@code client} through one of the realm's flows, run in process as Keycloak's password grant runs its
 * direct-grant flow ({@code ResourceOwnerPasswordCredentialsGrantType}): a new authentication session of the client
 * and an {@link AuthenticationProcessor} on the flow's "token" path, with {@code form} as the request's parameters.
 * The sign-ins of the passwordless and personal-access-token capabilities start here; what their flow's step checks
 * they hand over as a session attribute, never as a request parameter.
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

    /** Drops the authentication session (a refused or unfinished login). */
    public void discard(RealmModel realm) {
        authSessions.removeAuthenticationSession(realm, authSession, false);
    }
}
