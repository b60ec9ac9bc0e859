package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** totpSetup, totpConfirm and totpRemove through Keycloak's OTP credential provider and the realm's OTP policy. */
@ExtendWith(KeycloakExtension.class)
class GraphqlAccountTotpIT {

    static final String PASSWORD = "Account-totp-pass-1";
    static final String REMOVE = "mutation($c: String!) { totpRemove(code: $c) { success } }";
    static final String CONFIRM_WITH_PASSWORD = "mutation($c: String!, $p: String) { totpConfirm(code: $c, password: $p) { success } }";
    static final String REMOVE_WITH_PASSWORD = "mutation($c: String!, $p: String) { totpRemove(code: $c, password: $p) { success } }";

    static KeycloakAdmin admin;
    static AccountCalls calls;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        calls = new AccountCalls(new GraphqlClient(keycloak), admin);
    }

    static long otpCredentials(String id) {
        JsonNode credentials = admin.call("GET", "/users/" + id + "/credentials", null).json();
        long count = 0;
        for (JsonNode credential : credentials) {
            if (credential.get("type").asText().equals("otp")) {
                count++;
            }
        }
        return count;
    }

    @Test
    void setupFollowsTheRealmsOtpPolicy() {
        String username = admin.newUser("acct-totp-policy", PASSWORD);
        String token = calls.token(username, PASSWORD);
        JsonNode realm = admin.realm();
        // Keycloak takes an OTP policy only as a whole (otpPolicyType present).
        Map<String, Object> policy = Map.of("otpPolicyType", "totp", "otpPolicyDigits", 8, "otpPolicyPeriod", 60,
                "otpPolicyAlgorithm", "HmacSHA256", "otpPolicyLookAheadWindow", realm.get("otpPolicyLookAheadWindow").asInt(),
                "otpPolicyInitialCounter", realm.get("otpPolicyInitialCounter").asInt(),
                "otpPolicyCodeReusable", realm.get("otpPolicyCodeReusable").asBoolean());
        JsonNode setup = calls.withRealm(policy, () -> {
            JsonNode offered = data(calls.as(token, AccountCalls.TOTP_SETUP, null)).get("totpSetup");
            // The credential follows the policy: an 8-digit SHA-256 code of a 60 s step confirms it.
            TotpCodes.awayFromStepEdge(60, 3);
            data(calls.as(token, AccountCalls.TOTP_CONFIRM, vars("c", TotpCodes.code(offered.get("secret").asText(), "SHA256", 8, 60, 0))));
            return offered;
        });
        assertEquals(1, otpCredentials(calls.userId(username)));
        String uri = setup.get("uri").asText();
        assertTrue(uri.startsWith("otpauth://totp/"), uri);
        Map<String, String> parameters = TotpCodes.uriParameters(uri);
        assertEquals("8", parameters.get("digits"), uri);
        assertEquals("60", parameters.get("period"), uri);
        assertEquals("SHA256", parameters.get("algorithm"), uri);
        assertEquals(admin.realm().get("displayName").asText(), parameters.get("issuer"), uri);
        assertEquals(setup.get("secret").asText(), parameters.get("secret"), uri);
        assertTrue(uri.contains(username), uri);
        assertEquals(20, TotpCodes.base32(setup.get("secret").asText()).length);
    }

    @Test
    void confirmNeedsTheCodeOfThePendingSecretAndAddsTheCredential() {
        String username = admin.newUser("acct-totp", PASSWORD);
        String id = calls.userId(username);
        String token = calls.token(username, PASSWORD);
        error(calls.as(token, AccountCalls.TOTP_CONFIRM, vars("c", "123456")), "BAD_USER_INPUT"); // no setup yet
        String secret = data(calls.as(token, AccountCalls.TOTP_SETUP, null)).get("totpSetup").get("secret").asText();
        TotpCodes.awayFromStepEdge(30, 3);
        JsonNode wrong = error(calls.as(token, AccountCalls.TOTP_CONFIRM, vars("c", TotpCodes.code(secret, 7))), "BAD_USER_INPUT");
        assertEquals("code", wrong.get("extensions").get("fields").get(0).get("field").asText(), wrong.toString());
        assertEquals(0, otpCredentials(id));

        // The pending secret is the caller's own: another user cannot confirm it.
        String other = calls.token(admin.newUser("acct-totp-other", PASSWORD), PASSWORD);
        error(calls.as(other, AccountCalls.TOTP_CONFIRM, vars("c", TotpCodes.code(secret, 0))), "BAD_USER_INPUT");

        List<String> events = calls.withEvents(() -> {
            data(calls.as(token, AccountCalls.TOTP_CONFIRM, vars("c", TotpCodes.code(secret, 0), "l", "phone")));
            return calls.eventTypes(id);
        });
        assertTrue(events.containsAll(List.of("UPDATE_CREDENTIAL", "UPDATE_TOTP")), events.toString());
        assertEquals(1, otpCredentials(id));
        // Confirmed once: the pending secret is gone.
        error(calls.as(token, AccountCalls.TOTP_CONFIRM, vars("c", TotpCodes.code(secret, 1))), "BAD_USER_INPUT");
        error(calls.as(null, AccountCalls.TOTP_SETUP, null), "UNAUTHENTICATED");
        error(calls.as("not-a-token", AccountCalls.TOTP_SETUP, null), "UNAUTHENTICATED");
    }

    @Test
    void removeNeedsACurrentCodeAndAWrongOneCounts() {
        String username = admin.newUser("acct-totp-rm", PASSWORD);
        String id = calls.userId(username);
        String token = calls.token(username, PASSWORD);
        error(calls.as(token, REMOVE, vars("c", "123456")), "BAD_USER_INPUT"); // nothing to remove
        String secret = calls.enableTotp(token);
        TotpCodes.awayFromStepEdge(30, 3);
        error(calls.as(token, REMOVE, vars("c", TotpCodes.code(secret, 9))), "UNAUTHENTICATED");
        assertEquals(1, Hostile.awaitFailures(admin, id, 1), "a wrong code is a failed OTP login");
        assertEquals(1, otpCredentials(id));
        Hostile.sleep(1200);
        TotpCodes.awayFromStepEdge(30, 3);
        List<String> events = calls.withEvents(() -> {
            data(calls.as(token, REMOVE, vars("c", TotpCodes.code(secret, 1))));
            return calls.eventTypes(id);
        });
        assertTrue(events.containsAll(List.of("REMOVE_CREDENTIAL", "REMOVE_TOTP")), events.toString());
        assertEquals(0, otpCredentials(id));
        calls.token(username, PASSWORD); // no code needed any more
    }

    @Test
    void aStolenAccessTokenAloneAddsNoAuthenticatorAndRemovesNone() {
        String username = admin.newUser("acct-totp-stolen", PASSWORD);
        String id = calls.userId(username);
        admin.withMaxAuthAge("CONFIGURE_TOTP", 0, () -> {
            String stolen = calls.token(username, PASSWORD);
            Hostile.sleep(1200); // the login is no longer within max_auth_age (0 s)
            // A pending secret changes nothing; adding it needs more than the token, even with the right code.
            String secret = data(calls.as(stolen, AccountCalls.TOTP_SETUP, null)).get("totpSetup").get("secret").asText();
            TotpCodes.awayFromStepEdge(30, 3);
            JsonNode refused = error(calls.as(stolen, AccountCalls.TOTP_CONFIRM, vars("c", TotpCodes.code(secret, 0))),
                    "REAUTHENTICATION_REQUIRED");
            assertTrue(refused.get("message").asText().contains("password"), refused.toString());
            error(calls.as(stolen, CONFIRM_WITH_PASSWORD, vars("c", TotpCodes.code(secret, 0), "p", "Guessed-pass-1")),
                    "UNAUTHENTICATED");
            assertEquals(0, otpCredentials(id));
            // The owner, with the password: added.
            data(calls.as(stolen, CONFIRM_WITH_PASSWORD, vars("c", TotpCodes.code(secret, 0), "p", PASSWORD)));
            assertEquals(1, otpCredentials(id));
            // Removing it takes the same proof besides a current code.
            Hostile.sleep(1200);
            TotpCodes.awayFromStepEdge(30, 3);
            error(calls.as(stolen, REMOVE, vars("c", TotpCodes.code(secret, 1))), "REAUTHENTICATION_REQUIRED");
            assertEquals(1, otpCredentials(id));
            data(calls.as(stolen, REMOVE_WITH_PASSWORD, vars("c", TotpCodes.code(secret, 1), "p", PASSWORD)));
            assertEquals(0, otpCredentials(id));
        });
    }

}
