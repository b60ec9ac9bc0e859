package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static io.github.keycloakhasura.it.graphql.Hostile.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * passwordChange: the realm's policy and history, the old password as one brute-force-counted login attempt, the
 * user's other sessions ended unless kept, and the caller's own session replaced: fresh tokens of a new session, and
 * none of the caller's earlier tokens (its refresh token included) works afterwards.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlAccountPasswordIT {

    static final String PASSWORD = "Account-change-pass-1";
    static final String CHANGE = "mutation($o: String!, $n: String!, $k: Boolean) { passwordChange(oldPassword: $o, "
            + "newPassword: $n, keepOtherSessions: $k) { token refreshToken payload expiresIn } }";
    static final String REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }";

    static KeycloakAdmin admin;
    static GraphqlClient graphql;
    static AccountCalls calls;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        graphql = new GraphqlClient(keycloak);
        calls = new AccountCalls(graphql, admin);
    }

    @Test
    void changesThePasswordEndsEveryEarlierSessionTheCallersOwnIncludedAndReturnsFreshTokens() {
        String username = admin.newUser("acct-pw", PASSWORD);
        String id = calls.userId(username);
        JsonNode here = calls.tokens(username, PASSWORD);
        JsonNode elsewhere = calls.tokens(username, PASSWORD);
        String newPassword = "Changed-pass-2";
        List<String> events = calls.withEvents(() -> {
            JsonNode fresh = data(calls.as(here.get("token").asText(), CHANGE, vars("o", PASSWORD, "n", newPassword)))
                    .get("passwordChange");
            assertNotEquals(here.get("token").asText(), fresh.get("token").asText());
            assertNotEquals(here.get("payload").get("sid"), fresh.get("payload").get("sid"), "the caller continues in a new session");
            assertEquals(here.get("payload").get("scope"), fresh.get("payload").get("scope"), "with the same scope");
            // The fresh tokens work; the other session and the caller's own earlier tokens are over.
            assertEquals(username, data(calls.as(fresh.get("token").asText(), AccountCalls.WHOAMI, null)).get("whoami").get("username").asText());
            data(graphql.post(REFRESH, vars("r", fresh.get("refreshToken").asText()), null));
            error(graphql.post(REFRESH, vars("r", elsewhere.get("refreshToken").asText()), null), "UNAUTHENTICATED");
            error(graphql.post(REFRESH, vars("r", here.get("refreshToken").asText()), null), "UNAUTHENTICATED");
            error(calls.as(here.get("token").asText(), AccountCalls.WHOAMI, null), "UNAUTHENTICATED");
            return calls.eventTypes(id);
        });
        assertTrue(events.containsAll(List.of("UPDATE_CREDENTIAL", "UPDATE_PASSWORD", "LOGOUT")), events.toString());
        calls.token(username, newPassword);
        error(calls.login(username, PASSWORD, null, null), "UNAUTHENTICATED");
    }

    @Test
    void keepOtherSessionsKeepsThemButNotTheCallersEarlierTokens() {
        String username = admin.newUser("acct-pw-keep", PASSWORD);
        JsonNode here = calls.tokens(username, PASSWORD);
        JsonNode elsewhere = calls.tokens(username, PASSWORD);
        JsonNode fresh = data(calls.as(here.get("token").asText(), CHANGE, vars("o", PASSWORD, "n", "Changed-pass-3", "k", true)))
                .get("passwordChange");
        data(graphql.post(REFRESH, vars("r", elsewhere.get("refreshToken").asText()), null));
        data(graphql.post(REFRESH, vars("r", fresh.get("refreshToken").asText()), null));
        error(graphql.post(REFRESH, vars("r", here.get("refreshToken").asText()), null), "UNAUTHENTICATED");
    }

    @Test
    void policyAndHistoryViolationsAreBadInputAndChangeNothing() {
        String username = admin.newUser("acct-pw-policy", PASSWORD);
        String token = calls.token(username, PASSWORD);
        JsonNode weak = error(calls.as(token, CHANGE, vars("o", PASSWORD, "n", "short")), "BAD_USER_INPUT");
        assertEquals("newPassword", weak.get("extensions").get("fields").get(0).get("field").asText(), weak.toString());
        error(calls.as(token, CHANGE, vars("o", PASSWORD, "n", username)), "BAD_USER_INPUT"); // notUsername
        calls.withRealm(Map.of("passwordPolicy", "length(8) and notUsername and notEmail and passwordHistory(3)"), () ->
                error(calls.as(token, CHANGE, vars("o", PASSWORD, "n", PASSWORD)), "BAD_USER_INPUT"));
        calls.token(username, PASSWORD);
    }

    @Test
    void aWrongOldPasswordCountsAsAFailedLoginAndALockedUserCannotChange() {
        String username = admin.newUser("acct-pw-bf", PASSWORD);
        String id = calls.userId(username);
        String token = calls.token(username, PASSWORD);
        JsonNode wrong = error(calls.as(token, CHANGE, vars("o", "not-the-password", "n", "Changed-pass-4")), "UNAUTHENTICATED");
        assertEquals(1, Hostile.awaitFailures(admin, id, 1), "counted as Keycloak's failed login");
        // A second failure less than a second later: Keycloak's quick-login check locks the user.
        error(calls.as(token, CHANGE, vars("o", "not-the-password-2", "n", "Changed-pass-4")), "UNAUTHENTICATED");
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Hostile.bruteForce(admin, id).get("disabled").asBoolean() && System.currentTimeMillis() < deadline) {
            Hostile.sleep(100);
        }
        assertTrue(Hostile.bruteForce(admin, id).get("disabled").asBoolean(), Hostile.bruteForce(admin, id).toString());
        String created = passwordCreated(id);
        JsonNode locked = error(calls.as(token, CHANGE, vars("o", PASSWORD, "n", "Changed-pass-4")), "UNAUTHENTICATED");
        assertEquals(wrong.get("message"), locked.get("message"), "locked: the same answer as a wrong password");
        assertEquals(created, passwordCreated(id), "the password was not changed");
        admin.call("DELETE", "/attack-detection/brute-force/users/" + id, null);
    }

    @Test
    void oneGuessPerRequestAndNoneWithoutBearer() {
        String username = admin.newUser("acct-pw-multi", PASSWORD);
        String token = calls.token(username, PASSWORD);
        Http.Response two = calls.as(token, "mutation { a: passwordChange(oldPassword: \"x1\", newPassword: \"Changed-pass-5\") "
                + "{ token } b: passwordChange(oldPassword: \"x2\", newPassword: \"Changed-pass-5\") { token } }", null);
        assertEquals("BAD_USER_INPUT", Hostile.code(two, "two guesses"));
        Hostile.sleep(1500);
        assertEquals(0, Hostile.bruteForce(admin, calls.userId(username)).get("numFailures").asInt(), "nothing ran");
        error(graphql.post(CHANGE, vars("o", PASSWORD, "n", "Changed-pass-6"), null), "UNAUTHENTICATED");
        error(graphql.post(CHANGE, vars("o", PASSWORD, "n", "Changed-pass-6"), "not-a-token"), "UNAUTHENTICATED");
        calls.token(username, PASSWORD);
    }

    private static String passwordCreated(String id) {
        JsonNode credentials = admin.call("GET", "/users/" + id + "/credentials", null).json();
        for (JsonNode credential : credentials) {
            if (credential.get("type").asText().equals("password")) {
                return credential.get("createdDate").asText() + credential.get("id").asText();
            }
        }
        assertFalse(true, "no password: " + credentials);
        return null;
    }
}
