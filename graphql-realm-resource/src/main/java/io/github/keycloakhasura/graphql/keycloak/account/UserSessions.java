package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.SessionView;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The caller's sessions, online and offline: listed, and ended through Keycloak's backchannel logout (clients
 * notified, LOGOUT events). A password reset or change ends them with {@link #endAll}.
 */
public final class UserSessions {

    private UserSessions() {
    }

    /** The caller's sessions, online and offline, most recently used first, as the API shows them. */
    public static List<SessionView> list(Self self) {
        return all(self.session(), self.realm(), self.user()).stream()
                .sorted((a, b) -> Integer.compare(b.getLastSessionRefresh(), a.getLastSessionRefresh()))
                .map(s -> view(self, s))
                .toList();
    }

    private static SessionView view(Self self, UserSessionModel s) {
        List<String> clients = s.getAuthenticatedClientSessions().values().stream()
                .map(AuthenticatedClientSessionModel::getClient)
                .map(ClientModel::getClientId)
                .sorted()
                .toList();
        boolean current = s.getId().equals(self.userSession().getId()) && s.isOffline() == self.userSession().isOffline();
        return new SessionView(s.getId(), Instant.ofEpochSecond(s.getStarted()).toString(),
                Instant.ofEpochSecond(s.getLastSessionRefresh()).toString(), s.getIpAddress(), clients, current, s.isOffline());
    }

    /** logout: the token's session, or every session of the user (offline ones too). */
    public static boolean logout(Self self, boolean allSessions) {
        if (allSessions) {
            endAll(self.session(), self.realm(), self.user(), self.event(EventType.LOGOUT));
        } else {
            end(self.session(), self.realm(), List.of(self.userSession()), self.event(EventType.LOGOUT));
        }
        return true;
    }

    /** Every session of the user, online and offline. */
    static List<UserSessionModel> all(KeycloakSession s, RealmModel realm, UserModel user) {
        List<UserSessionModel> sessions = new ArrayList<>();
        Stream.concat(s.sessions().getUserSessionsStream(realm, user), s.sessions().getOfflineUserSessionsStream(realm, user))
                .forEach(sessions::add); // collected first: logging out removes sessions
        return sessions;
    }

    /**
     * Ends every session of the user, online and offline, so no access or refresh token issued before survives
     * (a password reset or change, logout of all sessions); one LOGOUT event per session, cloned from {@code logout}.
     */
    static void endAll(KeycloakSession s, RealmModel realm, UserModel user, EventBuilder logout) {
        end(s, realm, all(s, realm, user), logout);
    }

    static void end(KeycloakSession s, RealmModel realm, List<UserSessionModel> sessions, EventBuilder logout) {
        for (UserSessionModel userSession : sessions) {
            AuthenticationManager.backchannelLogout(s, realm, userSession, s.getContext().getUri(),
                    s.getContext().getConnection(), s.getContext().getRequestHeaders(), true, userSession.isOffline());
            logout.clone().event(EventType.LOGOUT).session(userSession).success();
        }
    }
}
