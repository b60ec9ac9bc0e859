package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;

/**
 * The authenticated caller of a self-service operation, looked up again in the Keycloak session the operation runs
 * in: the user, the user session of its access token and the client the token was issued to.
 */
public record Self(KeycloakSession session, RealmModel realm, UserModel user, UserSessionModel userSession,
                   ClientModel client) {

    /** The caller in {@code session}; UNAUTHENTICATED when the user, its session or the client is gone meanwhile. */
    public static Self of(KeycloakSession session, String userId, String sessionId, String clientUuid) {
        RealmModel realm = session.getContext().getRealm();
        UserModel user = session.users().getUserById(realm, userId);
        UserSessionModel userSession = sessionId == null ? null : session.sessions().getUserSession(realm, sessionId);
        if (userSession == null && sessionId != null) {
            // offline_access logins: the password grant keeps only the offline session
            userSession = session.sessions().getOfflineUserSession(realm, sessionId);
        }
        ClientModel client = realm.getClientById(clientUuid);
        if (user == null || !user.isEnabled() || userSession == null || client == null
                || !userSession.getUser().getId().equals(user.getId())) {
            throw GraphqlException.unauthenticated("Invalid, expired or revoked access token");
        }
        return new Self(session, realm, user, userSession, client);
    }

    /** An event of {@code type} about the caller, as Keycloak's own pages record it. */
    public EventBuilder event(EventType type) {
        return new EventBuilder(realm, session, session.getContext().getConnection())
                .event(type).user(user).client(client).session(userSession);
    }
}
