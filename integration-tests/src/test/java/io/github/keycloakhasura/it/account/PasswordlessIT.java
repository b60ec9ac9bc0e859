package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.graphql.TotpCodes;
import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.Mailbox;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.account.PasswordlessAnswers.awaitTrue;
import static io.github.keycloakhasura.it.account.PasswordlessAnswers.code;
import static io.github.keycloakhasura.it.account.PasswordlessAnswers.data;
import static io.github.keycloakhasura.it.account.PasswordlessAnswers.error;
import static io.github.keycloakhasura.it.account.PasswordlessAnswers.success;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sendLoginLink / loginWithLink / loginWithCode against the real Keycloak, with GreenMail as the realm's SMTP
 * server: the tests read the sign-in email and use its link's token and its code as an app (on any device) would.
 */
@ExtendWith(KeycloakExtension.class)
class PasswordlessIT {

    static final String SEND = "mutation($e: String!) { sendLoginLink(email: $e) { success } }";
    static final String WITH_LINK = "mutation($t: String!) { loginWithLink(token: $t) { token refreshToken payload } }";
    static final String WITH_CODE = "mutation($e: String!, $c: String!) { loginWithCode(email: $e, code: $c) { token refreshToken payload } }";
    static final String CLAIMS = "https://hasura.io/jwt/claims";
    static final String PASSWORD = "Pass-word-1234";
    /** Brute-force detection that locks after 30 failures and not for quick successive ones (the export's: 5, 1 s). */
    static final Map<String, Object> NO_QUICK_LOCKOUT = Map.of("failureFactor", 30, "quickLoginCheckMilliSeconds", 0);

    @RegisterExtension
    static final EmailRealm realm = new EmailRealm();

    @Test
    void theLinkSignsInOnceWithHasuraClaimsVerifiesTheEmailAndVoidsTheCode() {
        String username = unique("link");
        String id = realm.createUser(username, PASSWORD, false);
        String email = username + "@example.test";

        assertTrue(success(realm.graphql(SEND, Map.of("e", email))));
        MimeMessage message = realm.mailbox().await(email, 1).get(0);
        assertEquals("Sign in", Mailbox.subject(message));
        String token = Mailbox.token(message, EmailRealm.APP_URL, "login");
        String code = code(message);

        JsonNode tokens = data(realm.graphql(WITH_LINK, Map.of("t", token))).get("loginWithLink");
        JsonNode payload = Jwt.payload(tokens.get("token").asText());
        assertEquals(id, payload.get("sub").asText());
        assertEquals("hasura-app", payload.get("azp").asText());
        assertEquals(id, payload.path(CLAIMS).path("x-hasura-user-id").asText(), payload.toString());
        assertEquals("user", payload.path(CLAIMS).path("x-hasura-default-role").asText(), payload.toString());
        assertEquals(payload, tokens.get("payload"));
        assertTrue(realm.user(id).get("emailVerified").asBoolean(), "loginWithLink verifies the email address");

        error(realm.graphql(WITH_LINK, Map.of("t", token)), "INVALID_TOKEN");
        error(realm.graphql(WITH_CODE, Map.of("e", email, "c", code)), "INVALID_CODE");
        awaitTrue(() -> realm.events(id, "LOGIN").size() == 1, "one LOGIN event");
        assertEquals("link", realm.events(id, "LOGIN").get(0).path("details").path("graphql_passwordless").asText());
    }

    @Test
    void aPasswordResetTokenIsNoSignInLink() {
        String username = unique("other");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        data(realm.graphql("mutation($e: String!) { sendPasswordResetEmail(email: $e) { success } }", Map.of("e", email)));
        String resetToken = Mailbox.token(realm.mailbox().await(email, 1).get(0), EmailRealm.APP_URL, "reset-password");
        error(realm.graphql(WITH_LINK, Map.of("t", resetToken)), "INVALID_TOKEN");
    }

    @Test
    void theCodeSignsInOnceAndVoidsTheLink() {
        String username = unique("code");
        String id = realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        assertTrue(success(realm.graphql(SEND, Map.of("e", email))));
        MimeMessage message = realm.mailbox().await(email, 1).get(0);
        String code = code(message);

        JsonNode tokens = data(realm.graphql(WITH_CODE, Map.of("e", email.toUpperCase(), "c", code))).get("loginWithCode");
        assertEquals(id, Jwt.payload(tokens.get("token").asText()).path(CLAIMS).path("x-hasura-user-id").asText());
        assertNotNull(tokens.get("refreshToken").asText());

        error(realm.graphql(WITH_CODE, Map.of("e", email, "c", code)), "INVALID_CODE");
        error(realm.graphql(WITH_LINK, Map.of("t", Mailbox.token(message, EmailRealm.APP_URL, "login"))), "INVALID_TOKEN");
    }

    @Test
    void fiveWrongCodesVoidTheCodeAndEachCountsAsAFailedLogin() {
        String username = unique("wrong");
        String id = realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        // Lockout after 30 failures, none for quick ones: what refuses the right code below is the voided code, not a lock.
        realm.withRealmSettings(NO_QUICK_LOCKOUT, () -> {
            assertTrue(success(realm.graphql(SEND, Map.of("e", email))));
            String code = code(realm.mailbox().await(email, 1).get(0));
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int i = 1; i <= 5; i++) {
                error(realm.graphql(WITH_CODE, Map.of("e", email, "c", wrong)), "INVALID_CODE");
                int failures = i;
                // Each one is counted (waited for: Keycloak records failures off the request thread).
                awaitTrue(() -> failures(id) == failures, "failed login #" + i + " counted by Keycloak's brute-force protector");
            }
            error(realm.graphql(WITH_CODE, Map.of("e", email, "c", code)), "INVALID_CODE");
        });
    }

    @Test
    void fourWrongCodesLeaveTheCodeUsable() {
        String username = unique("four");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        realm.withRealmSettings(NO_QUICK_LOCKOUT, () -> {
            assertTrue(success(realm.graphql(SEND, Map.of("e", email))));
            String code = code(realm.mailbox().await(email, 1).get(0));
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 4; i++) {
                error(realm.graphql(WITH_CODE, Map.of("e", email, "c", wrong)), "INVALID_CODE");
            }
            assertNotNull(data(realm.graphql(WITH_CODE, Map.of("e", email, "c", code))).get("loginWithCode").get("token"));
        });
    }

    @Test
    void anUnknownAddressGetsTheSameAnswerAndNoEmail() {
        String unknown = unique("nobody") + "@example.test";
        String username = unique("known");
        realm.createUser(username, PASSWORD, true);
        String known = username + "@example.test";
        Http.Response forUnknown = realm.graphql(SEND, Map.of("e", unknown));
        Http.Response forKnown = realm.graphql(SEND, Map.of("e", known));
        assertEquals(forKnown.status(), forUnknown.status());
        assertEquals(forKnown.body(), forUnknown.body());
        realm.mailbox().await(known, 1);
        Harness.sleep(2000);
        assertEquals(0, realm.mailbox().messages(unknown).size());
        error(realm.graphql(WITH_CODE, Map.of("e", unknown, "c", "123456")), "INVALID_CODE");
    }

    @Test
    void linkAndCodeExpireWithTheRealmsActionTokenLifespan() {
        String username = unique("expiry");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        realm.withRealmSettings(Map.of("actionTokenGeneratedByUserLifespan", 2), () -> {
            assertTrue(success(realm.graphql(SEND, Map.of("e", email))));
            MimeMessage message = realm.mailbox().await(email, 1).get(0);
            Harness.sleep(4000);
            error(realm.graphql(WITH_LINK, Map.of("t", Mailbox.token(message, EmailRealm.APP_URL, "login"))), "INVALID_TOKEN");
            error(realm.graphql(WITH_CODE, Map.of("e", email, "c", code(message))), "INVALID_CODE");
        });
    }

    @Test
    void pendingRequiredActionsAreActionRequiredAsForTokenAuth() {
        String username = unique("actions");
        String id = realm.createUser(username, PASSWORD, true);
        realm.adminOk("PUT", "/users/" + id, Map.of("requiredActions", List.of("UPDATE_PASSWORD")));
        String email = username + "@example.test";
        assertTrue(success(realm.graphql(SEND, Map.of("e", email))));
        String code = code(realm.mailbox().await(email, 1).get(0));
        JsonNode refused = error(realm.graphql(WITH_CODE, Map.of("e", email, "c", code)), "ACTION_REQUIRED");
        assertEquals("[\"UPDATE_PASSWORD\"]", refused.path("extensions").path("requiredActions").toString());
    }

    @Test
    void anOtpUserIsAskedForTheOneTimeCodeAndTheEmailedCodeStaysUsable() {
        String username = unique("otp");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        String bearer = realm.passwordGrant(username, PASSWORD).json().get("access_token").asText();
        String secret = data(realm.graphqlAs(bearer, "mutation { totpSetup { secret } }", Map.of()))
                .get("totpSetup").get("secret").asText();
        data(realm.graphqlAs(bearer, "mutation($c: String!) { totpConfirm(code: $c) { success } }",
                Map.of("c", TotpCodes.code(secret, -1))));
        String withOtp = "mutation($e: String!, $c: String!, $o: String) { loginWithCode(email: $e, code: $c, otp: $o) { token } }";
        realm.withRealmSettings(NO_QUICK_LOCKOUT, () -> {
            assertTrue(success(realm.graphql(SEND, Map.of("e", email))));
            String code = code(realm.mailbox().await(email, 1).get(0));
            error(realm.graphql(WITH_CODE, Map.of("e", email, "c", code)), "OTP_REQUIRED");
            String wrongOtp = "000000".equals(TotpCodes.code(secret, 0)) ? "111111" : "000000";
            for (int i = 0; i < 10; i++) {
                // a wrong OTP is a failed login; the next try, sent at once, is not refused as a login "in progress"
                error(realm.graphql(withOtp, Map.of("e", email, "c", code, "o", wrongOtp)), "UNAUTHENTICATED");
                error(realm.graphql(WITH_CODE, Map.of("e", email, "c", code)), "OTP_REQUIRED");
            }
            JsonNode tokens = data(realm.graphql(withOtp, Map.of("e", email, "c", code, "o", TotpCodes.code(secret, 0))));
            assertNotNull(tokens.get("loginWithCode").get("token").asText());
        });
    }

    @Test
    void theEmailIsInTheUsersLanguage() {
        String username = unique("deutsch");
        String id = realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        realm.withRealmSettings(Map.of("internationalizationEnabled", true, "supportedLocales", List.of("en", "de"),
                "defaultLocale", "en"), () -> {
            JsonNode user = realm.user(id);
            ((com.fasterxml.jackson.databind.node.ObjectNode) user).putObject("attributes").putArray("locale").add("de");
            realm.adminOk("PUT", "/users/" + id, user);
            assertTrue(success(realm.graphql(SEND, Map.of("e", email))));
            MimeMessage message = realm.mailbox().await(email, 1).get(0);
            assertEquals("Anmelden", Mailbox.subject(message));
            assertTrue(Mailbox.text(message).contains("Zum Anmelden \u00f6ffnen Sie diesen Link"), Mailbox.text(message));
            assertNotNull(data(realm.graphql(WITH_CODE, Map.of("e", email, "c", code(message)))).get("loginWithCode").get("token"));
        });
    }

    @Test
    void aDisabledUserIsForbiddenAndMethodsSwitchedOffInTheRealmAreForbidden() {
        String username = unique("off");
        String id = realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        assertTrue(success(realm.graphql(SEND, Map.of("e", email))));
        MimeMessage message = realm.mailbox().await(email, 1).get(0);
        String token = Mailbox.token(message, EmailRealm.APP_URL, "login");
        realm.withRealmSettings(Map.of("attributes", Map.of("graphqlPasswordlessLink", "false",
                "graphqlPasswordlessCode", "false")), () -> {
            error(realm.graphql(WITH_LINK, Map.of("t", token)), "FORBIDDEN");
            error(realm.graphql(WITH_CODE, Map.of("e", email, "c", code(message))), "FORBIDDEN");
            error(realm.graphql(SEND, Map.of("e", email)), "FORBIDDEN");
        });
        realm.adminOk("PUT", "/users/" + id, Map.of("enabled", false));
        error(realm.graphql(WITH_CODE, Map.of("e", email, "c", code(message))), "FORBIDDEN");
    }

    @Test
    void theFlowRefusesKeycloaksOwnTokenEndpoint() {
        // The flow exists once a sign-in has run; bound to the client it must not let a password grant through.
        String username = unique("bound");
        realm.createUser(username, PASSWORD, true);
        error(realm.graphql(WITH_CODE, Map.of("e", username + "@example.test", "c", "123456")), "INVALID_CODE");
        JsonNode flows = realm.adminOk("GET", "/authentication/flows", null);
        String flowId = null;
        for (JsonNode flow : flows) {
            if ("graphql passwordless".equals(flow.get("alias").asText())) {
                flowId = flow.get("id").asText();
            }
        }
        assertNotNull(flowId, "flow created");
        JsonNode client = realm.adminOk("GET", "/clients?clientId=hasura-app", null).get(0);
        String clientUuid = client.get("id").asText();
        realm.adminOk("PUT", "/clients/" + clientUuid, Map.of("clientId", "hasura-app",
                "authenticationFlowBindingOverrides", Map.of("direct_grant", flowId)));
        try {
            Http.Response grant = realm.passwordGrant(username, PASSWORD);
            assertEquals(400, grant.status(), grant.toString());
        } finally {
            realm.adminOk("PUT", "/clients/" + clientUuid, Map.of("clientId", "hasura-app",
                    "authenticationFlowBindingOverrides", Map.of("direct_grant", "")));
        }
        assertEquals(200, realm.passwordGrant(username, PASSWORD).status());
    }

    private static int failures(String userId) {
        return realm.adminOk("GET", "/attack-detection/brute-force/users/" + userId, null).path("numFailures").asInt();
    }
}
