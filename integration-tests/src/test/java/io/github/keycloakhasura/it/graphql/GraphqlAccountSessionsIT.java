package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static io.github.keycloakhasura.it.graphql.Hostile.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sessions and logout: the caller's Keycloak user sessions, listed and ended by Keycloak's backchannel logout. */
@ExtendWith(KeycloakExtension.class)
class GraphqlAccountSessionsIT {

    static final String PASSWORD = "Account-sessions-pass-1";
    static final String SESSIONS = "{ sessions { id started lastAccess ipAddress clients current offline } }";
    static final String LOGOUT = "mutation($all: Boolean) { logout(allSessions: $all) { success } }";
    static final String REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }";

    static KeycloakAdmin admin;
    static GraphqlClient graphql;
    static AccountCalls calls;
    static Tokens tokens;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        graphql = new GraphqlClient(keycloak);
        calls = new AccountCalls(graphql, admin);
        tokens = new Tokens(keycloak);
    }

    @Test
    void sessionsListsTheCallersOwnSessions() {
        String username = admin.newUser("acct-sess", PASSWORD);
        JsonNode first = calls.tokens(username, PASSWORD);
        JsonNode second = calls.tokens(username, PASSWORD);
        calls.tokens(admin.newUser("acct-sess-other", PASSWORD), PASSWORD); // someone else's session is not listed
        JsonNode sessions = data(calls.as(first.get("token").asText(), SESSIONS, null)).get("sessions");
        assertEquals(2, sessions.size(), sessions.toString());
        int current = 0;
        for (JsonNode session : sessions) {
            assertEquals("[\"hasura-app\"]", session.get("clients").toString());
            assertFalse(session.get("offline").asBoolean());
            assertTrue(Instant.parse(session.get("started").asText()).isBefore(Instant.now().plusSeconds(5)));
            Instant.parse(session.get("lastAccess").asText());
            assertFalse(session.get("ipAddress").asText().isEmpty());
            if (session.get("current").asBoolean()) {
                current++;
                assertEquals(first.get("payload").get("sid").asText(), session.get("id").asText());
            } else {
                assertEquals(second.get("payload").get("sid").asText(), session.get("id").asText());
            }
        }
        assertEquals(1, current);
        error(graphql.post(SESSIONS), "UNAUTHENTICATED");
    }

    @Test
    void logoutEndsTheTokensSessionOnly() {
        String username = admin.newUser("acct-logout", PASSWORD);
        String id = calls.userId(username);
        JsonNode first = calls.tokens(username, PASSWORD);
        JsonNode second = calls.tokens(username, PASSWORD);
        List<String> events = calls.withEvents(() -> {
            assertTrue(data(calls.as(first.get("token").asText(), LOGOUT, null)).get("logout").get("success").asBoolean());
            return calls.eventTypes(id);
        });
        assertTrue(events.contains("LOGOUT"), events.toString());
        error(calls.as(first.get("token").asText(), AccountCalls.WHOAMI, null), "UNAUTHENTICATED");
        error(graphql.post(REFRESH, vars("r", first.get("refreshToken").asText()), null), "UNAUTHENTICATED");
        data(calls.as(second.get("token").asText(), AccountCalls.WHOAMI, null));
        data(graphql.post(REFRESH, vars("r", second.get("refreshToken").asText()), null));
    }

    @Test
    void logoutAllSessionsEndsEveryOne() {
        String username = admin.newUser("acct-logout-all", PASSWORD);
        JsonNode first = calls.tokens(username, PASSWORD);
        JsonNode second = calls.tokens(username, PASSWORD);
        data(calls.as(first.get("token").asText(), LOGOUT, vars("all", true)));
        error(calls.as(second.get("token").asText(), AccountCalls.WHOAMI, null), "UNAUTHENTICATED");
        error(graphql.post(REFRESH, vars("r", second.get("refreshToken").asText()), null), "UNAUTHENTICATED");
        assertEquals(0, admin.call("GET", "/users/" + calls.userId(username) + "/sessions", null).json().size());
        error(graphql.post(LOGOUT, vars("all", true), null), "UNAUTHENTICATED");
    }

    @Test
    void offlineSessionsAreListedAndEndedByLogoutOfAllSessions() {
        // hasura-app has no offline_access scope and the API issues no offline tokens (allow-offline-tokens is off on
        // the test server), so the offline login comes from Keycloak's own token endpoint at an allowed client that has it.
        String client = KeycloakExtension.ALLOWED_PRIORITY_CLIENT;
        admin.ensureClient(client, List.of(KeycloakAdmin.hasuraMapper("hasura-claims",
                Map.of("hasura.roles.priority", "manager,user"))), null, true);
        String username = admin.newUser("acct-offline", PASSWORD);
        JsonNode online = calls.tokens(username, PASSWORD);
        JsonNode offline = tokens.login(client, username, PASSWORD, "offline_access");
        assertEquals("Offline", Jwt.payload(offline.get("refresh_token").asText()).get("typ").asText());
        assertEquals(200, tokens.refresh(client, offline.get("refresh_token").asText()).status());

        JsonNode sessions = data(calls.as(online.get("token").asText(), SESSIONS, null)).get("sessions");
        assertEquals(2, sessions.size(), sessions.toString());
        JsonNode listedOffline = null;
        for (JsonNode session : sessions) {
            if (session.get("offline").asBoolean()) {
                listedOffline = session;
            }
        }
        assertTrue(listedOffline != null, "the offline session is listed: " + sessions);
        assertEquals(Jwt.payload(offline.get("access_token").asText()).get("sid").asText(), listedOffline.get("id").asText());
        assertEquals("[\"" + client + "\"]", listedOffline.get("clients").toString());
        assertFalse(listedOffline.get("current").asBoolean());

        data(calls.as(online.get("token").asText(), LOGOUT, vars("all", true)));
        assertEquals(4, tokens.refresh(client, offline.get("refresh_token").asText()).status() / 100, "the offline session has ended");
    }
}
