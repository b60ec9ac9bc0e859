package io.github.keycloakhasura.graphql.keycloak.account;

import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The caller's sessions: listed, and ended through Keycloak's backchannel logout (clients notified, LOGOUT events). */
public final class UserSessions {

    private UserSessions() {
    }

    /** The caller's online sessions, most recently used first, as the API shows them. */
    public static List<Map<String, Object>> list(Self self) {
        return self.session().sessions().getUserSessionsStream(self.realm(), self.user())
                .sorted((a, b) -> Integer.compare(b.getLastSessionRefresh(), a.getLastSessionRefresh()))
                .map(s -> view(self, s))
                .toList();
    }

    private static Map<String, Object> view(Self self, UserSessionModel s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.getId());
        view.put("started", Instant.ofEpochSecond(s.getStarted()).toString());
        view.put("lastAccess", Instant.ofEpochSecond(s.getLastSessionRefresh()).toString());
        view.put("ipAddress", s.getIpAddress());
        view.put("clients", s.getAuthenticatedClientSessions().values().stream()
                .map(AuthenticatedClientSessionModel::getClient)
                .map(ClientModel::getClientId)
                .sorted()
                .toList());
        view.put("current", s.getId().equals(self.userSession().getId()));
        return view;
    }

    /** logout: the token's session, or every session of the user (offline ones too). */
    public static boolean logout(Self self, boolean allSessions) {
        end(self, allSessions ? all(self) : List.of(self.userSession()));
        return true;
    }

    /** Every session of the user, online and offline. */
    static List<UserSessionModel> all(Self self) {
        List<UserSessionModel> sessions = new ArrayList<>();
        Stream.concat(self.session().sessions().getUserSessionsStream(self.realm(), self.user()),
                        self.session().sessions().getOfflineUserSessionsStream(self.realm(), self.user()))
                .forEach(sessions::add); // collected first: logging out removes sessions
        return sessions;
    }

    static void end(Self self, List<UserSessionModel> sessions) {
        for (UserSessionModel userSession : sessions) {
            AuthenticationManager.backchannelLogout(self.session(), self.realm(), userSession,
                    self.session().getContext().getUri(), self.session().getContext().getConnection(),
                    self.session().getContext().getRequestHeaders(), true, userSession.isOffline());
            self.event(EventType.LOGOUT).session(userSession).success();
        }
    }
}
