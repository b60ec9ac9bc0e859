package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tokenAuth and Keycloak's required actions and OTP: pending actions and a missing code are named only once
 * Keycloak's direct-grant flow accepted the password; a temporary password is replaced in the same call.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlAccountLoginIT {

    static final String PASSWORD = "Account-login-pass-1";

    static KeycloakAdmin admin;
    static Tokens tokens;
    static GraphqlClient graphql;
    static AccountCalls calls;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
        graphql = new GraphqlClient(keycloak);
        calls = new AccountCalls(graphql, admin);
    }

    static String userWithActions(String... actions) {
        String username = admin.newUser("acct-login", PASSWORD);
        admin.updateUser(calls.userId(username), Map.of("requiredActions", List.of(actions)));
        return username;
    }

    @Test
    void pendingActionsAreNamedOnlyToTheRightPassword() {
        String pending = userWithActions("UPDATE_PASSWORD", "VERIFY_EMAIL");
        JsonNode unknown = error(calls.login(unique("nobody"), PASSWORD, null, null), "UNAUTHENTICATED");
        Http.Response wrong = calls.login(pending, PASSWORD + "-wrong", null, null);
        assertEquals(unknown, error(wrong, "UNAUTHENTICATED"), "a wrong password says nothing of the pending actions");
        assertFalse(wrong.body().contains("UPDATE_PASSWORD") || wrong.body().contains("requiredActions"), wrong.body());

        JsonNode named = error(calls.login(pending, PASSWORD, null, null), "ACTION_REQUIRED");
        assertEquals(java.util.Set.of("UPDATE_PASSWORD", "VERIFY_EMAIL"), java.util.Set.copyOf(
                Http.JSON.convertValue(named.get("extensions").get("requiredActions"), List.class)), named.toString());
        // Which of them tokenAuth can complete: VERIFY_EMAIL needs the emailed link.
        assertEquals("[\"UPDATE_PASSWORD\"]", named.get("extensions").get("completable").toString(), named.toString());
        // The token endpoint agrees that this user cannot log in yet.
        assertEquals(400, tokens.passwordGrant("hasura-app", pending, PASSWORD, null).status());
    }

    @Test
    void aTemporaryPasswordIsReplacedUnderThePolicyAndTheUserLogsIn() {
        String username = admin.newUser("acct-temp", PASSWORD);
        String id = calls.userId(username);
        String temporary = "Temporary-pass-9";
        admin.call("PUT", "/users/" + id + "/reset-password", Map.of("type", "password", "value", temporary, "temporary", true));
        assertEquals(List.of("UPDATE_PASSWORD"), List.of(error(calls.login(username, temporary, null, null), "ACTION_REQUIRED")
                .get("extensions").get("requiredActions").get(0).asText()));

        // A new password that breaks the realm's policy (length(8)) is refused, and nothing changes.
        JsonNode weak = error(calls.login(username, temporary, null, "short"), "BAD_USER_INPUT");
        assertEquals("newPassword", weak.get("extensions").get("fields").get(0).get("field").asText(), weak.toString());
        // A wrong current password with a new one: the generic answer, nothing changes.
        error(calls.login(username, temporary + "-wrong", null, "Brand-new-pass-1"), "UNAUTHENTICATED");
        assertTrue(calls.user(username).get("requiredActions").toString().contains("UPDATE_PASSWORD"));

        String newPassword = "Brand-new-pass-2";
        List<String> events = calls.withEvents(() -> {
            JsonNode login = data(calls.login(username, temporary, null, newPassword)).get("tokenAuth");
            assertEquals(username, login.get("payload").get("preferred_username").asText());
            return calls.eventTypes(id);
        });
        assertTrue(events.containsAll(List.of("UPDATE_CREDENTIAL", "UPDATE_PASSWORD", "LOGIN")), events.toString());
        assertEquals(0, calls.user(username).get("requiredActions").size(), "UPDATE_PASSWORD completed");
        calls.token(username, newPassword);
        error(calls.login(username, temporary, null, null), "UNAUTHENTICATED");
    }

    @Test
    void theNewPasswordRespectsThePasswordHistory() {
        String username = admin.newUser("acct-hist", PASSWORD);
        String id = calls.userId(username);
        String temporary = "Temporary-pass-8";
        calls.withRealm(Map.of("passwordPolicy", "length(8) and notUsername and notEmail and passwordHistory(3)"), () -> {
            admin.call("PUT", "/users/" + id + "/reset-password", Map.of("type", "password", "value", temporary, "temporary", true));
            JsonNode reused = error(calls.login(username, temporary, null, PASSWORD), "BAD_USER_INPUT");
            assertEquals("newPassword", reused.get("extensions").get("fields").get(0).get("field").asText(), reused.toString());
            return data(calls.login(username, temporary, null, "History-ok-pass-1"));
        });
    }

    @Test
    void otherPendingActionsAreNamedAfterTheNewPasswordIsKept() {
        String username = userWithActions("UPDATE_PASSWORD", "VERIFY_EMAIL");
        JsonNode rest = error(calls.login(username, PASSWORD, null, "Second-new-pass-1"), "ACTION_REQUIRED");
        assertEquals("[\"VERIFY_EMAIL\"]", rest.get("extensions").get("requiredActions").toString());
        // The new password was kept: it is now the one Keycloak checks.
        error(calls.login(username, "Second-new-pass-1", null, null), "ACTION_REQUIRED");
        error(calls.login(username, PASSWORD, null, null), "UNAUTHENTICATED");
    }

    @Test
    void anOtpUserIsAskedForTheCodeOnlyAfterTheRightPasswordAndEveryMissOrWrongCodeCounts() {
        String username = admin.newUser("acct-otp", PASSWORD);
        String id = calls.userId(username);
        String secret = calls.enableTotp(calls.token(username, PASSWORD));

        JsonNode unknown = error(calls.login(unique("nobody"), PASSWORD, null, null), "UNAUTHENTICATED");
        assertEquals(unknown, error(calls.login(username, PASSWORD + "-wrong", null, null), "UNAUTHENTICATED"),
                "wrong password, no code: nothing about OTP");
        assertEquals(1, Hostile.awaitFailures(admin, id, 1));
        Hostile.sleep(1200);
        assertEquals("OTP_REQUIRED", Hostile.code(calls.login(username, PASSWORD, null, null), "right password, no code"));
        assertEquals(2, Hostile.awaitFailures(admin, id, 2), "Keycloak counts a login without the code");
        Hostile.sleep(1200);
        TotpCodes.awayFromStepEdge(30, 3);
        String wrongCode = TotpCodes.code(secret, 5);
        assertEquals(unknown, error(calls.login(username, PASSWORD, wrongCode, null), "UNAUTHENTICATED"), "wrong code: generic");
        assertEquals(3, Hostile.awaitFailures(admin, id, 3));
        Hostile.sleep(1200);
        TotpCodes.awayFromStepEdge(30, 3);
        JsonNode login = data(calls.login(username, PASSWORD, TotpCodes.code(secret, 1), null)).get("tokenAuth");
        assertEquals(username, login.get("payload").get("preferred_username").asText());
    }

    @Test
    void anOtpUserWithATemporaryPasswordGetsGoing() {
        String username = admin.newUser("acct-otp-temp", PASSWORD);
        String id = calls.userId(username);
        String token = calls.token(username, PASSWORD);
        String temporary = "Temporary-pass-7";
        // Codes of three different time steps (Keycloak takes each code once), all inside the look-around window.
        TotpCodes.awayFromStepEdge(30, 12);
        String secret = data(calls.as(token, AccountCalls.TOTP_SETUP, null)).get("totpSetup").get("secret").asText();
        data(calls.as(token, AccountCalls.TOTP_CONFIRM, Hostile.vars("c", TotpCodes.code(secret, -1))));
        admin.call("PUT", "/users/" + id + "/reset-password", Map.of("type", "password", "value", temporary, "temporary", true));

        // The new password is kept; logging in with it needs the next code, and no failed login is recorded.
        JsonNode changed = error(calls.login(username, temporary, TotpCodes.code(secret, 0), "Otp-new-pass-1"), "OTP_REQUIRED");
        assertTrue(changed.get("message").asText().contains("password was changed"), changed.toString());
        Hostile.sleep(1500);
        assertEquals(0, Hostile.bruteForce(admin, id).get("numFailures").asInt(), Hostile.bruteForce(admin, id).toString());
        assertEquals(0, calls.user(username).get("requiredActions").size());
        JsonNode login = data(calls.login(username, "Otp-new-pass-1", TotpCodes.code(secret, 1), null)).get("tokenAuth");
        assertEquals(username, login.get("payload").get("preferred_username").asText());
        Hostile.sleep(1200);
        error(calls.login(username, temporary, TotpCodes.code(secret, 1), null), "UNAUTHENTICATED");
    }

    static final String LOGIN_COMPLETING = "mutation($u: String!, $p: String!, $otp: String, $terms: Boolean, $profile: JSON) { "
            + "tokenAuth(username: $u, password: $p, otp: $otp, acceptTerms: $terms, profile: $profile) { token payload } }";

    private static Http.Response completing(String username, String otp, Boolean terms, Map<String, Object> profile) {
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put("u", username);
        variables.put("p", PASSWORD);
        variables.put("otp", otp);
        variables.put("terms", terms);
        variables.put("profile", profile);
        return graphql.post(LOGIN_COMPLETING, variables, null);
    }

    private static JsonNode actionRequired(String username, String action) {
        JsonNode named = error(calls.login(username, PASSWORD, null, null), "ACTION_REQUIRED");
        assertEquals("[\"" + action + "\"]", named.get("extensions").get("requiredActions").toString(), named.toString());
        assertEquals("[\"" + action + "\"]", named.get("extensions").get("completable").toString(), named.toString());
        return named;
    }

    @Test
    void termsAndConditionsAreAcceptedAtLogin() {
        String alias = "TERMS_AND_CONDITIONS";
        JsonNode before = admin.call("GET", "/authentication/required-actions/" + alias, null).json();
        Map<String, Object> enabled = new java.util.LinkedHashMap<>(Http.JSON.convertValue(before, Map.class));
        enabled.put("enabled", true);
        admin.call("PUT", "/authentication/required-actions/" + alias, enabled);
        try {
            String username = userWithActions(alias);
            actionRequired(username, alias);
            assertEquals("ACTION_REQUIRED", Hostile.code(completing(username, null, false, null), "terms declined"));
            JsonNode login = data(completing(username, null, true, null)).get("tokenAuth");
            assertEquals(username, login.get("payload").get("preferred_username").asText());
            assertEquals(0, calls.user(username).get("requiredActions").size());
            calls.token(username, PASSWORD);
        } finally {
            admin.call("PUT", "/authentication/required-actions/" + alias, Http.JSON.convertValue(before, Map.class));
        }
    }

    @Test
    void theProfileIsUpdatedAtLoginUnderTheUserProfileRules() {
        String username = userWithActions("UPDATE_PROFILE");
        actionRequired(username, "UPDATE_PROFILE");
        JsonNode invalid = error(completing(username, null, null, Map.of("firstName", "Ann", "lastName", "Lee",
                "email", "not-an-email")), "BAD_USER_INPUT");
        assertEquals("email", invalid.get("extensions").get("fields").get(0).get("field").asText(), invalid.toString());
        assertTrue(calls.user(username).get("requiredActions").toString().contains("UPDATE_PROFILE"), "nothing kept");
        // Not an object, or a value that is neither a string nor a list of strings: a clear BAD_USER_INPUT.
        error(graphql.post(LOGIN_COMPLETING, Map.of("u", username, "p", PASSWORD, "profile", "Ann Lee"), null), "BAD_USER_INPUT");
        error(completing(username, null, null, Map.of("firstName", Map.of("nested", 1))), "BAD_USER_INPUT");
        java.util.Map<String, Object> cleared = new java.util.HashMap<>(Map.of("firstName", "Ann"));
        cleared.put("email", null); // the realm's user profile requires an email
        error(completing(username, null, null, cleared), "BAD_USER_INPUT");

        JsonNode login = data(completing(username, null, null, Map.of("firstName", "Ann", "lastName", "Lee"))).get("tokenAuth");
        assertEquals(username, login.get("payload").get("preferred_username").asText());
        JsonNode user = calls.user(username);
        assertEquals("Ann", user.get("firstName").asText());
        assertEquals("Lee", user.get("lastName").asText());
        assertEquals(0, user.get("requiredActions").size());
    }

    @Test
    void anAuthenticatorIsConfiguredAtLoginWithTheOfferedSecret() {
        String username = userWithActions("CONFIGURE_TOTP");
        JsonNode offered = actionRequired(username, "CONFIGURE_TOTP");
        String secret = offered.get("extensions").get("totp").get("secret").asText();
        assertTrue(offered.get("extensions").get("totp").get("uri").asText().startsWith("otpauth://totp/"), offered.toString());
        assertEquals(secret, actionRequired(username, "CONFIGURE_TOTP").get("extensions").get("totp").get("secret").asText(),
                "the same secret until it is used");

        TotpCodes.awayFromStepEdge(30, 3);
        JsonNode wrong = error(completing(username, TotpCodes.code(secret, 5), null, null), "BAD_USER_INPUT");
        assertEquals("otp", wrong.get("extensions").get("fields").get(0).get("field").asText(), wrong.toString());
        JsonNode login = data(completing(username, TotpCodes.code(secret, 0), null, null)).get("tokenAuth");
        assertEquals(username, login.get("payload").get("preferred_username").asText());
        assertEquals(0, calls.user(username).get("requiredActions").size());

        // The authenticator is the user's now: a login needs its next code.
        Hostile.sleep(1200);
        assertEquals("OTP_REQUIRED", Hostile.code(calls.login(username, PASSWORD, null, null), "OTP configured"));
        Hostile.sleep(1200);
        TotpCodes.awayFromStepEdge(30, 3);
        data(calls.login(username, PASSWORD, TotpCodes.code(secret, 1), null));
    }
}
